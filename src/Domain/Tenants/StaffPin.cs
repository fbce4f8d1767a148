using System.Security.Cryptography;
using System.Text;

namespace CustomerInfo.Domain.Tenants;

/// <summary>
/// The store's staff PIN, which opens the kiosk's panel of held sign-ups. Kept only as a
/// PBKDF2-SHA256 hash, and that hash travels with the form (<see cref="ForDevice"/>), so the tablet
/// checks the PIN itself, also offline. It guards a screen, not the data behind it (docs/security.md).
/// A document of its own, not part of the form definition: changing the PIN publishes no form version.
/// </summary>
public sealed record StaffPin(string Id, byte[] Salt, int Iterations, byte[] Hash, DateTimeOffset SetAt)
{
    /// <summary>The tenant-wide PIN (the session's tenant), for every store without its own.</summary>
    public const string DocumentId = "staff-pin";

    /// <summary>The id of one store's own PIN, in the same tenant as the tenant-wide one.</summary>
    public static string DocumentIdFor(Guid storeId) => $"{DocumentId}:{storeId:N}";

    public const int MinLength = 4;
    public const int MaxLength = 8;

    /// <summary>
    /// A store tablet's WebCrypto derives this in a fraction of a second. More would not make a
    /// 4–8 digit PIN safe against someone who has the hash (10^8 guesses at most), so the count
    /// only has to make a casual try slow; the panel's lock-out does the rest.
    /// </summary>
    public const int DefaultIterations = 100_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static StaffPin Create(string pin, DateTimeOffset setAt, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new StaffPin(DocumentId, salt, iterations, Derive(pin, salt, iterations), setAt);
    }

    public bool Matches(string pin) => CryptographicOperations.FixedTimeEquals(Derive(pin, Salt, Iterations), Hash);

    /// <summary>What the kiosk page carries to check a PIN with WebCrypto: <c>iterations.salt.hash</c>, base64.</summary>
    public string ForDevice => $"{Iterations}.{Convert.ToBase64String(Salt)}.{Convert.ToBase64String(Hash)}";

    /// <summary>4–8 ASCII digits; any other character (also a non-ASCII digit) is not a PIN.</summary>
    public static bool IsWellFormed(string? pin) =>
        pin is { Length: >= MinLength and <= MaxLength } && pin.All(char.IsAsciiDigit);

    /// <summary>
    /// The PINs tried first: one digit repeated (0000), a straight run up or down (1234, 8765),
    /// a repeated pair (1212) and the keypad's middle column (2580, 0852).
    /// </summary>
    public static bool IsEasyToGuess(string pin)
    {
        if (!IsWellFormed(pin))
        {
            return false;
        }

        var steps = pin.Zip(pin.Skip(1), (a, b) => b - a).Distinct().ToList();
        if (steps is [0] or [1] or [-1])
        {
            return true;
        }

        if (pin.Length % 2 == 0 && Enumerable.Range(2, pin.Length - 2).All(i => pin[i] == pin[i - 2]))
        {
            return true;
        }

        return pin is "2580" or "0852";
    }

    private static byte[] Derive(string pin, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
