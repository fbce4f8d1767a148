namespace CustomerInfo.Domain.Tenants;

/// <summary>
/// A retailer on the platform. <see cref="Id"/> never changes and keys all of the tenant's data;
/// <see cref="Identifier"/> is the subdomain, which the retailer may change.
/// </summary>
public sealed record Tenant(Guid Id, string Identifier, string Name, TenantStatus Status, DateTimeOffset OnboardedAt)
{
    /// <summary>Shoppers can sign up, staff can work. Past due is a grace period, not a lock-out.</summary>
    public bool IsOpen => Status is TenantStatus.Trialing or TenantStatus.Active or TenantStatus.PastDue;
}

public enum TenantStatus
{
    Trialing,
    Active,
    PastDue,
    Suspended,
    Canceled,
}
