using OtpNet;

namespace CustomerInfo.Application.Accounts.TwoFactor;

/// <summary>
/// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as every
/// authenticator app makes them. One verifier for the team's accounts and the platform owner (ADR 25):
/// it says which time step a code matched, so a caller can refuse a code that was used before.
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Steps either side of now that still count: a phone's clock a little off, a code typed as it turned.</summary>
    public const int Window = 1;

    public static long TimeStepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    /// <summary>The code for one time step.</summary>
    public static string Code(byte[] key, long timeStep) =>
        Generator(key).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(timeStep * (long)Step.TotalSeconds).UtcDateTime);

    /// <summary>
    /// The time step <paramref name="code"/> belongs to, within <see cref="Window"/> of <paramref name="now"/>
    /// and later than <paramref name="lastUsedStep"/>; null when it matches none (wrong, too old, or used).
    /// Spaces and dashes in the code are ignored, as people type them from the app.
    /// </summary>
    public static long? Match(byte[] key, string? code, DateTimeOffset now, long? lastUsedStep = null)
    {
        var digits = Normalize(code);
        if (digits is null || key.Length == 0)
        {
            return null;
        }

        return Generator(key).VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(previous: Window, future: Window))
            && (lastUsedStep is null || step > lastUsedStep)
            ? step
            : null;
    }

    /// <summary>Otp.NET's RFC 6238 generator (ADR 25): HMAC-SHA1, which every authenticator app uses and which as an HMAC is not broken.</summary>
    private static OtpNet.Totp Generator(byte[] key) => new(key, step: (int)Step.TotalSeconds, mode: OtpHashMode.Sha1, totpSize: Digits);

    /// <summary>Six digits, without the spaces or dashes people type; null when it is not that.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 20)
        {
            return null;
        }

        var digits = new string(code.Where(c => c is not (' ' or '-')).ToArray());
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>The otpauth:// address an authenticator app reads from the QR code (Google's Key URI format).</summary>
    public static string OtpAuthUri(string issuer, string account, string base32Key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={base32Key}&issuer={Uri.EscapeDataString(issuer)}&digits={Digits}&period={(int)Step.TotalSeconds}";

    /// <summary>The key in groups of four, for typing it into an app by hand.</summary>
    public static string Grouped(string base32Key) =>
        string.Join(' ', base32Key.Chunk(4).Select(chunk => new string(chunk))).ToLowerInvariant();
}

/// <summary>RFC 4648 base32 without padding, the alphabet authenticator keys are written in (Otp.NET's codec).</summary>
public static class Base32
{
    public static string Encode(ReadOnlySpan<byte> data) => Base32Encoding.ToString(data.ToArray()).TrimEnd('=');

    /// <summary>The bytes of a base32 key (case, spaces, dashes and padding ignored); null when it is not base32.</summary>
    public static byte[]? Decode(string? text)
    {
        var cleaned = new string((text ?? "").Where(c => c is not (' ' or '-' or '=')).ToArray()).ToUpperInvariant();
        if (cleaned.Length == 0 || !cleaned.All(c => c is (>= 'A' and <= 'Z') or (>= '2' and <= '7')))
        {
            return null;
        }

        var bytes = Base32Encoding.ToBytes(cleaned);
        return bytes.Length == 0 ? null : bytes;
    }
}
