using CustomerInfo.Domain.Stores;

namespace CustomerInfo.Application.Stores;

/// <summary>
/// The retailer's own time zone, where a page speaks of "today" for the retailer as a whole: that
/// of its first-added active store, or <see cref="StoreTimeZones.Default"/> while it has none.
/// </summary>
public static class TenantTimeZone
{
    public static string Of(IEnumerable<RetailStore> stores) =>
        stores.Where(s => s.IsActive && StoreTimeZones.IsKnown(s.TimeZone))
            .OrderBy(s => s.AddedAt).ThenBy(s => s.Id)
            .FirstOrDefault()?.TimeZone ?? StoreTimeZones.Default;
}
