using CustomerInfo.Domain.Stores;
using Marten;

namespace CustomerInfo.Application.Stores;

/// <summary>
/// The retailer's own time zone, for what belongs to no single store ("today" on the dashboard, the
/// dates of a filter): the zone of its first-added active store, else <see cref="StoreTimeZones.Default"/>.
/// </summary>
public static class TenantTimeZone
{
    public static TimeZoneInfo Of(IEnumerable<RetailStore> stores) =>
        StoreTimeZones.Find(stores.Where(s => s.IsActive).OrderBy(s => s.AddedAt).ThenBy(s => s.Id).FirstOrDefault()?.TimeZone);

    /// <summary>The zone of the session's tenant (a tenant has a handful of stores: all are read).</summary>
    public static async Task<TimeZoneInfo> FindAsync(IQuerySession session, CancellationToken cancellationToken) =>
        Of(await session.Query<RetailStore>().ToListAsync(cancellationToken));
}
