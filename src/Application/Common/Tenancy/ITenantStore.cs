using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Common.Tenancy;

/// <summary>Finds tenants by subdomain for every request, so implementations cache.</summary>
public interface ITenantStore
{
    /// <summary>The tenant at <paramref name="identifier"/> (lower-case subdomain), or null when there is none.</summary>
    ValueTask<Tenant?> FindByIdentifierAsync(string identifier, CancellationToken cancellationToken);

    /// <summary>The tenant with <paramref name="id"/>, or null: for background work, which knows tenants by id.</summary>
    ValueTask<Tenant?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Called after a tenant document changed, so no cached copy outlives it.</summary>
    void Forget(string identifier);
}
