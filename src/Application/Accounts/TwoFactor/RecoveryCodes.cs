using System.Security.Cryptography;
using System.Text;

namespace CustomerInfo.Application.Accounts.TwoFactor;

/// <summary>
/// Recovery codes are kept as salted PBKDF2 hashes, never as written (ADR 25): a copy of the
/// database gives nobody a way in. A code is compared without its dash and case, as people type it.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    /// <summary>Enough to make guessing a ~47-bit code from a stolen hash slow, few enough to try ten codes at a sign-in.</summary>
    private const int Iterations = 20_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string code)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(code)), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return Convert.ToBase64String(salt) + "." + Convert.ToBase64String(hash);
    }

    public static bool Matches(string stored, string? code)
    {
        var parts = stored.Split('.');
        if (parts.Length != 2 || string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[0]);
        var expected = Convert.FromBase64String(parts[1]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Normalize(code)), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The index of the stored hash <paramref name="code"/> matches, or -1. Every hash is tried, so the time says nothing.</summary>
    public static int IndexOf(IReadOnlyList<string> stored, string? code)
    {
        var found = -1;
        for (var i = 0; i < stored.Count; i++)
        {
            if (Matches(stored[i], code) && found < 0)
            {
                found = i;
            }
        }

        return found;
    }

    /// <summary>A recovery code rather than an app's six digits: letters in it, or longer.</summary>
    public static bool LooksLikeOne(string? code) =>
        code is not null && Normalize(code).Length >= 8;

    private static string Normalize(string code) =>
        new string(code.Where(c => c is not (' ' or '-')).ToArray()).ToUpperInvariant();
}
