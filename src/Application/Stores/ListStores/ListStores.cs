using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Stores.ListStores;

/// <summary>The tenant's stores by name: for the stores page, and for the store filters of the lists (Staff too).</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record ListStoresQuery : IQuery<IReadOnlyList<StoreListItem>>;

public sealed record StoreListItem(Guid Id, string Name, StoreStatus Status, string TimeZone, string? Address, int LiveLinks)
{
    public bool IsActive => Status == StoreStatus.Active;
}

public sealed class ListStoresHandler(IQuerySession session) : IQueryHandler<ListStoresQuery, IReadOnlyList<StoreListItem>>
{
    public async ValueTask<IReadOnlyList<StoreListItem>> Handle(ListStoresQuery query, CancellationToken cancellationToken)
    {
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        return [.. stores
            .OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(s => new StoreListItem(s.Id, s.Name, s.Status, s.TimeZone, s.Address, s.LiveLinks.Count()))];
    }
}
