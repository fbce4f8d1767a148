namespace CustomerInfo.Domain.Stores;

// The events of a store's stream (keyed by the store id, in the tenant's conjoined tenant). They
// hold no shopper's data; who made each change is in the event headers (ActorEventHeaders).

public sealed record StoreAdded(Guid StoreId, string Name, string TimeZone, string? Address, DateTimeOffset AddedAt, string? LegacyLocationKey = null);

public sealed record StoreDetailsChanged(Guid StoreId, string Name, string TimeZone, string? Address, DateTimeOffset ChangedAt);

public sealed record StoreClosed(Guid StoreId, DateTimeOffset ClosedAt);

public sealed record StoreReopened(Guid StoreId, DateTimeOffset ReopenedAt);

/// <summary>The store's own staff PIN was set or replaced (the hash is the <c>StaffPin</c> document).</summary>
public sealed record StoreStaffPinSet(Guid StoreId, DateTimeOffset SetAt);

public sealed record KioskLinkIssued(Guid StoreId, Guid LinkId, string Token, string Label, DateTimeOffset IssuedAt);

public sealed record KioskLinkRevoked(Guid StoreId, Guid LinkId, string Token, DateTimeOffset RevokedAt);
