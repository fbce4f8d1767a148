using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CustomerInfo.Application.Audit.ListAuditLog;

/// <summary>
/// Where the next (older) page of the audit log starts: just before this event in the log's order
/// (newest first by time, then by the store's sequence). Opaque to the browser; anything that does
/// not read back as one is refused with a clear message. A hand-made cursor can only start the page
/// elsewhere in the tenant's own log, which the Owner may read anyway.
/// </summary>
public sealed record AuditCursor(DateTimeOffset Timestamp, long Sequence)
{
    private const string Version = "a1";

    public const int MaxLength = 100;

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}|{Timestamp.UtcTicks}|{Sequence}")));

    public static bool TryParse(string? token, out AuditCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }

        cursor = new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), sequence);
        return true;
    }
}
