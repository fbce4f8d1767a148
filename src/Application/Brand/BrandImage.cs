using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Brand;

/// <summary>
/// One rendition of a store's logo, as the kiosk serves it: re-encoded bytes (no metadata), keyed
/// by their fingerprint, stored per tenant in PostgreSQL (web pods have a read-only file system, ADR 17).
/// Never changed: a new logo is a new document under a new fingerprint.
/// </summary>
public sealed record BrandImage(string Id, string ContentType, byte[] Bytes, int Width, int Height, DateTimeOffset StoredAt)
{
    /// <summary>The first 32 hex digits (128 bits) of the SHA-256 of <paramref name="bytes"/>.</summary>
    public static string FingerprintOf(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32];

    public static bool IsFingerprint(string? text) =>
        text is { Length: 32 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

/// <summary>Why an upload cannot be a logo. Each is said in a sentence on the branding page.</summary>
public enum LogoProblem
{
    Empty,
    TooLarge,
    Svg,
    NotAnImage,
    Unreadable,
    TooManyPixels,
    CannotFit,
}

/// <summary>The kiosk's renditions of a logo: <see cref="Standard"/> at 1× and <see cref="HiDpi"/> at 2× (null when the upload is too small to give one).</summary>
public sealed record LogoRenditions(BrandImage Standard, BrandImage? HiDpi)
{
    public BrandLogo Logo => new(Standard.Id, Standard.Width, Standard.Height) { HiDpiFingerprint = HiDpi?.Id };
}

/// <summary>The result of reading an upload: renditions, or the problem.</summary>
public sealed record LogoRendering(LogoRenditions? Renditions, LogoProblem? Problem)
{
    public static LogoRendering Refused(LogoProblem problem) => new(null, problem);
}

/// <summary>Decodes an upload whose type was read from its bytes and re-encodes it for the kiosk header (SkiaSharp, in Infrastructure).</summary>
public interface ILogoRenderer
{
    LogoRendering Render(ReadOnlySpan<byte> file, LogoFileKind kind, DateTimeOffset now);
}

/// <summary>The stored renditions, read per tenant; the implementation keeps recent ones in memory.</summary>
public interface IBrandImages
{
    ValueTask<BrandImage?> FindAsync(Guid tenantId, string fingerprint, CancellationToken cancellationToken);
}
