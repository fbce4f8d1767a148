using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Common.Tenancy;

/// <summary>
/// The tenant of the current request or job: set once by the tenant middleware (or a job's scope),
/// read everywhere else. <see cref="Tenant"/> is null on the platform's own pages.
/// </summary>
public interface ITenantContext
{
    Tenant? Tenant { get; }

    /// <summary>The current tenant, or an exception when there is none: for code that only runs for a store.</summary>
    Tenant RequiredTenant => Tenant ?? throw new InvalidOperationException("This operation needs a store (tenant) and none is set.");
}
