using System.Globalization;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>Times on the admin's pages, shown in the retailer's time zone (<c>TenantTimeZone</c>) and the page's language.</summary>
public sealed class AdminTimes(string timeZone)
{
    private readonly TimeZoneInfo zone = StoreTimeZones.Find(timeZone);

    public string Show(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, zone).ToString("g", CultureInfo.CurrentCulture) : "";

    public string Day(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, zone).ToString("d", CultureInfo.CurrentCulture) : "";
}
