using CustomerInfo.Domain.Stores;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace CustomerInfo.Application.Stores;

/// <summary>The store's document, kept in the same transaction as its events.</summary>
public sealed partial class RetailStoreProjection : SingleStreamProjection<RetailStore, Guid>
{
    public static RetailStore Create(StoreAdded added) => new()
    {
        Id = added.StoreId,
        Name = added.Name,
        TimeZone = added.TimeZone,
        Address = added.Address,
        Status = StoreStatus.Active,
        AddedAt = added.AddedAt,
        LegacyLocationKey = added.LegacyLocationKey,
    };

    public static RetailStore Apply(StoreDetailsChanged changed, RetailStore store) =>
        store with { Name = changed.Name, TimeZone = changed.TimeZone, Address = changed.Address };

    public static RetailStore Apply(StoreClosed closed, RetailStore store) => store with { Status = StoreStatus.Closed };

    public static RetailStore Apply(StoreReopened reopened, RetailStore store) => store with { Status = StoreStatus.Active };

    public static RetailStore Apply(StoreStaffPinSet set, RetailStore store) => store with { StaffPinSetAt = set.SetAt };

    public static RetailStore Apply(KioskLinkIssued issued, RetailStore store) =>
        store with { Links = [.. store.Links, new KioskLinkInfo(issued.LinkId, issued.Token, issued.Label, issued.IssuedAt)] };

    public static RetailStore Apply(KioskLinkRevoked revoked, RetailStore store) => store with
    {
        Links = [.. store.Links.Select(l => l.LinkId == revoked.LinkId && l.RevokedAt is null ? l with { RevokedAt = revoked.RevokedAt } : l)],
    };
}

/// <summary>The kiosk's lookup of a link by token, one document per link, kept with the store's events.</summary>
public sealed partial class KioskLinkProjection : MultiStreamProjection<KioskLink, string>
{
    public KioskLinkProjection()
    {
        Identity<KioskLinkIssued>(e => e.Token);
        Identity<KioskLinkRevoked>(e => e.Token);
    }

    public static KioskLink Create(KioskLinkIssued issued) => new()
    {
        Id = issued.Token,
        LinkId = issued.LinkId,
        StoreId = issued.StoreId,
        IssuedAt = issued.IssuedAt,
    };

    public static KioskLink Apply(KioskLinkRevoked revoked, KioskLink link) => link with { RevokedAt = revoked.RevokedAt };
}
