using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Stores.GetStore;

/// <summary>One store with its kiosk links and their addresses; null when the tenant has no such store (another tenant's id too).</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record GetStoreQuery(Guid StoreId) : IQuery<StoreDetail?>;

public sealed record StoreDetail(RetailStore Store, IReadOnlyList<KioskLinkView> LiveLinks, IReadOnlyList<KioskLinkView> RevokedLinks);

/// <summary>A link as the Manager sees it: <see cref="Url"/> is what the tablet opens (and its QR code holds).</summary>
public sealed record KioskLinkView(Guid LinkId, string Label, Uri Url, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt);

public sealed class GetStoreHandler(IQuerySession session, ITenantContext tenant, ISiteLinks links) : IQueryHandler<GetStoreQuery, StoreDetail?>
{
    public async ValueTask<StoreDetail?> Handle(GetStoreQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<RetailStore>(query.StoreId, cancellationToken) is not { } store)
        {
            return null;
        }

        var identifier = tenant.RequiredTenant.Identifier;
        var views = store.Links
            .Select(l => new KioskLinkView(l.LinkId, l.Label, KioskLinkUrls.For(links, identifier, l.Token), l.IssuedAt, l.RevokedAt))
            .ToList();
        return new StoreDetail(
            store,
            [.. views.Where(v => v.RevokedAt is null).OrderBy(v => v.IssuedAt)],
            [.. views.Where(v => v.RevokedAt is not null).OrderByDescending(v => v.RevokedAt)]);
    }
}
