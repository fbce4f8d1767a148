namespace CustomerInfo.Domain.Tenants;

public sealed record TenantOnboarded(Guid TenantId, string Identifier, string Name, DateTimeOffset OnboardedAt);

public sealed record TenantStatusChanged(Guid TenantId, TenantStatus From, TenantStatus To, DateTimeOffset ChangedAt);

/// <summary>The store's staff PIN was set or replaced. Never carries the PIN or its hash.</summary>
public sealed record StaffPinSet(Guid TenantId, DateTimeOffset SetAt);
