using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// What the sign-up list puts in its links, opaque and tamper-proof (Data Protection, keys shared by
/// every pod): the search text, which names a shopper and so never stands readable in a URL, a
/// browser's history or a log; and the page cursor, the (received at, id) of the last row shown,
/// bound to the filter it was made for. Both are bound to the tenant: a link copied to another
/// store's admin reads as invalid there.
/// </summary>
public static class SignUpLinks
{
    private const int CursorLength = 8 + 16 + 32;

    public static string ProtectSearch(IDataProtectionProvider provider, Guid tenantId, string search) =>
        WebEncoders.Base64UrlEncode(Protector(provider, tenantId, "search").Protect(Encoding.UTF8.GetBytes(search)));

    /// <summary>The search text, or null when the token was not made here (tampered, truncated, another store's).</summary>
    public static string? ReadSearch(IDataProtectionProvider provider, Guid tenantId, string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Protector(provider, tenantId, "search").Unprotect(WebEncoders.Base64UrlDecode(token)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public static string ProtectCursor(IDataProtectionProvider provider, Guid tenantId, SignUpCursor cursor, SignUpFilter filter)
    {
        var payload = new byte[CursorLength];
        BinaryPrimitives.WriteInt64BigEndian(payload, cursor.ReceivedAt.UtcTicks);
        cursor.Id.TryWriteBytes(payload.AsSpan(8, 16));
        Fingerprint(filter).CopyTo(payload.AsSpan(24));
        return WebEncoders.Base64UrlEncode(Protector(provider, tenantId, "cursor").Protect(payload));
    }

    /// <summary>The cursor, or null when the token is not one this store made for this very filter.</summary>
    public static SignUpCursor? ReadCursor(IDataProtectionProvider provider, Guid tenantId, string token, SignUpFilter filter)
    {
        byte[] payload;
        try
        {
            payload = Protector(provider, tenantId, "cursor").Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        if (payload.Length != CursorLength || !CryptographicOperations.FixedTimeEquals(payload.AsSpan(24), Fingerprint(filter)))
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(payload);
        return ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
            ? null
            : new SignUpCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(payload.AsSpan(8, 16)));
    }

    private static byte[] Fingerprint(SignUpFilter filter) => SHA256.HashData(Encoding.UTF8.GetBytes(filter.Fingerprint()));

    private static IDataProtector Protector(IDataProtectionProvider provider, Guid tenantId, string what) =>
        provider.CreateProtector("CustomerInfo.Web.SignUps", what, tenantId.ToString("N", CultureInfo.InvariantCulture));
}

/// <summary>
/// The list's filter as the query string or the form gives it, read once: days as yyyy-MM-dd, the
/// store as its id, the consents as yes/no. What is not one of those is named in <see cref="Errors"/>
/// (as keys of SignUpsText) instead of being guessed at.
/// </summary>
public sealed record SignUpFilterInput(string? From, string? To, string? Store, string? Email, string? Sms, string? Source = null, string? Push = null)
{
    public (SignUpFilter Filter, IReadOnlyList<(string Field, string Error)> Errors) Read(string? search)
    {
        var errors = new List<(string, string)>();
        var filter = new SignUpFilter(
            Day(From, "from", errors),
            Day(To, "to", errors),
            StoreId(Store, errors),
            Consent(Email, "email", errors),
            Consent(Sms, "sms", errors),
            string.IsNullOrWhiteSpace(search) ? null : search,
            SourceOf(Source, errors),
            PushStatus(Push, errors));
        return (filter, errors);
    }

    /// <summary>The query string that gives this filter back (empty values left out), for links.</summary>
    public static Dictionary<string, string?> Query(SignUpFilter filter) => new()
    {
        ["from"] = filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["store"] = filter.StoreId?.ToString("D"),
        ["email"] = Flag(filter.EmailConsent),
        ["sms"] = Flag(filter.SmsConsent),
        ["source"] = filter.Source?.ToString().ToLowerInvariant(),
        ["push"] = filter.CrmStatus is { } crm ? PushValue(crm) : null,
    };

    /// <summary>The query-string word of a push status: "waiting", "pushed", "retrying", "failed", "not-sent".</summary>
    public static string PushValue(CrmPushStatus status) => status switch
    {
        CrmPushStatus.NotSent => "not-sent",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static CrmPushStatus? PushStatus(string? value, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var word = value.Trim().ToLowerInvariant();
        foreach (var status in Enum.GetValues<CrmPushStatus>())
        {
            if (PushValue(status) == word)
            {
                return status;
            }
        }

        errors.Add(("push", "NotAPushStatus"));
        return null;
    }

    /// <summary>"kiosk" or "import": where the sign-ups came from.</summary>
    private static SignUpSource? SourceOf(string? value, List<(string, string)> errors)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "kiosk":
                return SignUpSource.Kiosk;
            case "import":
                return SignUpSource.Import;
            default:
                errors.Add(("source", "NotASource"));
                return null;
        }
    }

    private static string? Flag(bool? value) => value switch { true => "yes", false => "no", null => null };

    private static DateOnly? Day(string? value, string field, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add((field, "NotADate"));
        return null;
    }

    private static Guid? StoreId(string? value, List<(string, string)> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Guid.TryParse(value.Trim(), out var id) && id != Guid.Empty)
        {
            return id;
        }

        errors.Add(("store", "NotAStore"));
        return null;
    }

    private static bool? Consent(string? value, string field, List<(string, string)> errors)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "yes":
                return true;
            case "no":
                return false;
            default:
                errors.Add((field, "NotAConsentChoice"));
                return null;
        }
    }
}
