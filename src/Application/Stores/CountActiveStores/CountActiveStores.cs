using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Stores.CountActiveStores;

/// <summary>How many of the tenant's stores are active (not closed): what billing counts. Background work may ask too.</summary>
[RequiresRole(TeamRole.Manager)]
[SystemMaySend]
public sealed record CountActiveStoresQuery : IQuery<int>;

public sealed class CountActiveStoresHandler(IQuerySession session) : IQueryHandler<CountActiveStoresQuery, int>
{
    public async ValueTask<int> Handle(CountActiveStoresQuery query, CancellationToken cancellationToken) =>
        await session.Query<RetailStore>().CountAsync(s => s.Status == StoreStatus.Active, cancellationToken);
}
