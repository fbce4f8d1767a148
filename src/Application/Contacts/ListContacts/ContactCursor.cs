using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CustomerInfo.Application.Contacts.ListContacts;

/// <summary>
/// Where the next page of the contact list starts: just after this contact in the list's order
/// (latest sign-up first, then id). Given to the browser as an opaque token; anything that does not
/// read back as one is refused with a clear message, never guessed at.
/// </summary>
public sealed record ContactCursor(DateTimeOffset LastSignedUpAt, Guid Id)
{
    private const string Version = "c1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}|{LastSignedUpAt.UtcTicks}|{Id:N}")));

    public static bool TryParse(string? token, out ContactCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > 100 || !Base64Url.IsValid(token))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(parts[2], "N", out var id))
        {
            return false;
        }

        cursor = new ContactCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
