using CustomerInfo.Domain.Stores;
using Marten;

namespace CustomerInfo.Application.Stores;

/// <summary>
/// The retailer's own time zone, for what belongs to no single store ("today" on the dashboard, the
/// dates of a filter): that of its first-added active store, or <see cref="StoreTimeZones.Default"/>
/// while it has none.
/// </summary>
public static class TenantTimeZone
{
    /// <summary>The zone's IANA id.</summary>
    public static string Of(IEnumerable<RetailStore> stores) =>
        stores.Where(s => s.IsActive && StoreTimeZones.IsKnown(s.TimeZone))
            .OrderBy(s => s.AddedAt).ThenBy(s => s.Id)
            .FirstOrDefault()?.TimeZone ?? StoreTimeZones.Default;

    public static TimeZoneInfo ZoneOf(IEnumerable<RetailStore> stores) => StoreTimeZones.Find(Of(stores));

    /// <summary>The zone of the session's tenant (a tenant has a handful of stores: all are read).</summary>
    public static async Task<TimeZoneInfo> FindAsync(IQuerySession session, CancellationToken cancellationToken) =>
        ZoneOf(await session.Query<RetailStore>().ToListAsync(cancellationToken));
}
