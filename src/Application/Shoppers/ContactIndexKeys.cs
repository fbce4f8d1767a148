using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Shoppers;

/// <summary>
/// The ids of the contact index (<see cref="Contacts.ContactIndexEntry"/>): a keyed hash of each
/// <see cref="ContactKey"/>, so the index finds a shopper by email or phone without holding either
/// (ADR 10). Each store hashes with its own key, derived from <c>PersonalData:IndexKey</c>, so the
/// same address gives unrelated ids in two stores, and a copy of the database alone cannot test
/// guesses (a phone number has few enough digits to try them all against an unkeyed hash).
/// </summary>
public sealed class ContactIndexKeys
{
    private const int MinimumKeyBytes = 32;
    private readonly byte[] secret;
    private readonly ConcurrentDictionary<Guid, byte[]> storeKeys = new();

    public ContactIndexKeys(IOptions<PersonalDataOptions> options) =>
        secret = Parse(options.Value.IndexKey) ?? throw new InvalidOperationException(Problem(options.Value.IndexKey));

    /// <summary>Why <paramref name="configured"/> cannot be the index key, or null when it can.</summary>
    public static string? Problem(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? $"{PersonalDataOptions.Section}:IndexKey is not set (see docs/configuration.md)."
        : Parse(configured) is null ? $"{PersonalDataOptions.Section}:IndexKey must be base64 of at least {MinimumKeyBytes} random bytes (see docs/configuration.md)."
        : null;

    /// <summary>The index ids of the shopper's email and phone (those given), in that order.</summary>
    public IReadOnlyList<string> For(Guid storeId, Shopper shopper) =>
        ContactKey.For(shopper).Select(key => IdOf(storeId, key)).ToArray();

    /// <summary>The index id of one contact key: its kind stays readable ("email:", "phone:"), its value is hashed.</summary>
    public string IdOf(Guid storeId, string contactKey)
    {
        var colon = contactKey.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? contactKey[..colon] : "key";
        var hash = HMACSHA256.HashData(KeyOf(storeId), Encoding.UTF8.GetBytes(contactKey));
        return $"{kind}:{Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }

    private static byte[]? Parse(string? configured)
    {
        var bytes = new byte[((configured?.Length ?? 0) * 3 / 4) + 3];
        return configured is not null && Convert.TryFromBase64String(configured.Trim(), bytes, out var written) && written >= MinimumKeyBytes
            ? bytes[..written]
            : null;
    }

    private byte[] KeyOf(Guid storeId) =>
        storeKeys.GetOrAdd(storeId, id => HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes($"contact-index:{id:N}")));
}
