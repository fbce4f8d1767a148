namespace CustomerInfo.Domain.Stores;

/// <summary>
/// One of a retailer's physical shops, where its tablets stand. Not the tenant (the retailer) and
/// not part of the versioned form: adding a store publishes no form version. The document is what
/// <c>RetailStoreProjection</c> makes of the store's stream, in the same transaction.
/// "Active stores" are what billing counts.
/// </summary>
public sealed record RetailStore
{
    public Guid Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary>IANA time zone id (e.g. "Europe/Amsterdam"): "today" and the times in exports are the store's.</summary>
    public string TimeZone { get; init; } = StoreTimeZones.Default;

    public string? Address { get; init; }

    public StoreStatus Status { get; init; }

    public DateTimeOffset AddedAt { get; init; }

    /// <summary>The <c>FormDefinition.Locations</c> key this store was migrated from, if it was.</summary>
    public string? LegacyLocationKey { get; init; }

    /// <summary>Whether the store has its own staff PIN (the hash is a document of its own).</summary>
    public DateTimeOffset? StaffPinSetAt { get; init; }

    public IReadOnlyList<KioskLinkInfo> Links { get; init; } = [];

    public bool IsActive => Status == StoreStatus.Active;

    public IEnumerable<KioskLinkInfo> LiveLinks => Links.Where(l => l.RevokedAt is null);
}

/// <summary>Stored as its number: add new states at the end only.</summary>
public enum StoreStatus
{
    Active,
    Closed,
}

/// <summary>A kiosk link as the store's page lists it. <see cref="Token"/> is the secret part of <c>/k/{token}</c>.</summary>
public sealed record KioskLinkInfo(Guid LinkId, string Token, string Label, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt = null);

/// <summary>
/// The kiosk's lookup of a link by its token (the document id), so a tablet's request finds its
/// store without reading the store's whole document.
/// </summary>
public sealed record KioskLink
{
    /// <summary>The token itself: 128 random bits, base64url.</summary>
    public string Id { get; init; } = "";

    public Guid LinkId { get; init; }

    public Guid StoreId { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>The time zones a store may name: the IANA ids this machine knows.</summary>
public static class StoreTimeZones
{
    public const string Default = "Europe/Amsterdam";

    public static bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    /// <summary>The zone, or <see cref="Default"/>'s when the id is unknown (a store is never without one).</summary>
    public static TimeZoneInfo Find(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.FindSystemTimeZoneById(Default);
}
