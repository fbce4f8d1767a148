namespace CustomerInfo.Domain.SignUps;

/// <summary>What an uploaded logo's first bytes say it is. Only the first three are accepted.</summary>
public enum LogoFileKind
{
    Png,
    Jpeg,
    WebP,
    Empty,
    Svg,
    Html,
    Zip,
    Gif,
    Unknown,
}

/// <summary>
/// The type of an uploaded image, read from its bytes (magic numbers), never from its name or the
/// Content-Type a browser (or an attacker) sent. The limits of what the kiosk's header takes.
/// </summary>
public static class LogoFile
{
    /// <summary>The largest upload accepted: 1 MB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Images wider or taller than this are refused from their header, before decoding.</summary>
    public const int MaxSide = 4096;

    /// <summary>And so are images of more pixels than this (16 megapixels: 64 MB decoded).</summary>
    public const long MaxPixels = 16L * 1024 * 1024;

    /// <summary>Each re-encoded rendition is at most this many bytes.</summary>
    public const int MaxStoredBytes = 40 * 1024;

    /// <summary>The logo's height in the kiosk header (kiosk.css .logo max-height), in CSS pixels.</summary>
    public const int HeaderHeight = 56;

    /// <summary>Its widest, in CSS pixels: a wide wordmark still leaves room for the language links.</summary>
    public const int HeaderMaxWidth = 320;

    public static bool IsAccepted(LogoFileKind kind) => kind is LogoFileKind.Png or LogoFileKind.Jpeg or LogoFileKind.WebP;

    public static LogoFileKind Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return LogoFileKind.Empty;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return LogoFileKind.Png;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return LogoFileKind.Jpeg;
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return LogoFileKind.WebP;
        }

        if (bytes.StartsWith("PK\x03\x04"u8) || bytes.StartsWith("PK\x05\x06"u8))
        {
            return LogoFileKind.Zip;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return LogoFileKind.Gif;
        }

        return LooksLikeMarkup(bytes);
    }

    /// <summary>Text that opens with a tag (after a BOM and white space): an SVG, or HTML and other markup.</summary>
    private static LogoFileKind LooksLikeMarkup(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 1024)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        head = head.TrimStart(" \t\r\n"u8);
        if (head.IsEmpty || head[0] != (byte)'<')
        {
            return LogoFileKind.Unknown;
        }

        var text = System.Text.Encoding.UTF8.GetString(head).ToLowerInvariant();
        return text.Contains("<svg", StringComparison.Ordinal) ? LogoFileKind.Svg : LogoFileKind.Html;
    }
}
