using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Tenants;

/// <summary>Staff PINs: the tenant-wide one and each store's own. Every form view asks, so implementations cache.</summary>
public interface IStaffPins
{
    /// <summary>The tenant-wide PIN, or null when none was set.</summary>
    ValueTask<StaffPin?> FindAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>The store's own PIN, else the tenant-wide one (also when <paramref name="storeId"/> is null), else null.</summary>
    ValueTask<StaffPin?> FindForStoreAsync(Guid tenantId, Guid? storeId, CancellationToken cancellationToken);

    /// <summary>Called after a PIN changed (the tenant's or a store's), so the next form carries the new hash.</summary>
    void Forget(Guid tenantId);
}
