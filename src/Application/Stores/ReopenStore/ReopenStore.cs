using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Mediator;

namespace CustomerInfo.Application.Stores.ReopenStore;

/// <summary>Reopens a closed store; its kiosk links that were not revoked work again. Reopening an open store changes nothing.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ReopenStoreCommand(Guid StoreId) : ICommand<StoreChangeResult>;

public sealed class ReopenStoreHandler(StoreStreams streams, IClock clock) : ICommandHandler<ReopenStoreCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(ReopenStoreCommand command, CancellationToken cancellationToken) =>
        await streams.ChangeAsync(command.StoreId, store => (StoreDecisions.Reopen(store, clock.UtcNow), StoreChangeResult.Done), cancellationToken);
}
