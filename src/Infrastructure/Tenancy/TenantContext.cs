using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>The scoped holder behind <see cref="ITenantContext"/>; only the tenant middleware or a job sets it.</summary>
public sealed class TenantContext : ITenantContext
{
    public Tenant? Tenant { get; private set; }

    public void Set(Tenant tenant)
    {
        if (Tenant is not null && Tenant.Id != tenant.Id)
        {
            throw new InvalidOperationException("The tenant of a scope cannot change once set.");
        }

        Tenant = tenant;
    }
}
