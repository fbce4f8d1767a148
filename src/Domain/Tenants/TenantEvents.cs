namespace CustomerInfo.Domain.Tenants;

public sealed record TenantOnboarded(Guid TenantId, string Identifier, string Name, DateTimeOffset OnboardedAt);

public sealed record TenantStatusChanged(Guid TenantId, TenantStatus From, TenantStatus To, DateTimeOffset ChangedAt);
