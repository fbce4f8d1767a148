using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Tenants;

/// <summary>Stores' staff PINs. Every form view asks, so implementations cache.</summary>
public interface IStaffPins
{
    /// <summary>The store's PIN, or null when none was set.</summary>
    ValueTask<StaffPin?> FindAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>Called after a PIN changed, so the next form carries the new hash.</summary>
    void Forget(Guid tenantId);
}
