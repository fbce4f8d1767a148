using System.Globalization;
using CustomerInfo.Application.Common.Text;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.SignUps.ListSignUps;

/// <summary>
/// Which sign-ups the list (and its export) shows. <see cref="From"/> and <see cref="To"/> are days
/// in the retailer's time zone (<see cref="Stores.TenantTimeZone"/>), both included. Null: no limit.
/// </summary>
public sealed record SignUpFilter(
    DateOnly? From = null,
    DateOnly? To = null,
    Guid? StoreId = null,
    bool? EmailConsent = null,
    bool? SmsConsent = null,
    string? Search = null,
    SignUpSource? Source = null,
    CrmPushStatus? CrmStatus = null)
{
    public const int SearchMaxLength = 200;

    public static readonly SignUpFilter None = new();

    /// <summary>The filter as one line of text: what a page cursor is bound to (search included).</summary>
    public string Fingerprint() =>
        string.Join('|', Day(From), Day(To), StoreId?.ToString("N") ?? "", Flag(EmailConsent), Flag(SmsConsent), ShopperInput.Clean(Search) ?? "", Source?.ToString() ?? "")
        // Added later: left out when not set, so the links made before it still read.
        + (CrmStatus is { } crm ? "|crm:" + crm : "");

    /// <summary>
    /// The filter for a record of who exported what: everything but the search text, which names a
    /// shopper; only whether there was a search.
    /// </summary>
    public string DescribeWithoutSearch() =>
        string.Join(", ", new[]
        {
            From is null ? null : "from " + Day(From),
            To is null ? null : "to " + Day(To),
            StoreId is null ? null : "store " + StoreId.Value.ToString("D"),
            EmailConsent is null ? null : "email consent " + Flag(EmailConsent),
            SmsConsent is null ? null : "SMS consent " + Flag(SmsConsent),
            Source is null ? null : "source " + Source.Value.ToString().ToLowerInvariant(),
            CrmStatus is null ? null : "push status " + CrmStatus.Value.ToString().ToLowerInvariant(),
        }.OfType<string>()) is { Length: > 0 } described ? described : "all sign-ups";

    public bool HasSearch => ShopperInput.Clean(Search) is not null;

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Flag(bool? flag) => flag switch { true => "yes", false => "no", null => "" };
}

public enum SearchKind
{
    Email,
    Phone,
    Name,
}

/// <summary>
/// What a search box's text is looked up as: an email address (it has an @), normalised as the kiosk
/// stores addresses and compared exactly, case aside; a phone number the form's country accepts, in
/// E.164 as the kiosk stores numbers, compared exactly; otherwise the start of a first or last name.
/// </summary>
public sealed record SignUpSearch(SearchKind Kind, string Key)
{
    public static SignUpSearch? Read(string? text, string country)
    {
        if (ShopperInput.Clean(ControlCharacters.RemovedFrom(text)) is not { } search)
        {
            return null;
        }

        if (search.Contains('@', StringComparison.Ordinal))
        {
            return new(SearchKind.Email, SignUpSummary.SearchKey(ShopperInput.Email(search) ?? search)!);
        }

        if (ShopperInput.ToE164(search, country) is { } phone)
        {
            return new(SearchKind.Phone, phone);
        }

        return ShopperInput.Name(search) is { } name ? new(SearchKind.Name, SignUpSummary.SearchKey(name)!) : null;
    }
}
