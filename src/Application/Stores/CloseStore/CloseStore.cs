using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Mediator;

namespace CustomerInfo.Application.Stores.CloseStore;

/// <summary>
/// Closes a store: its tablets stop taking sign-ups (they keep the ones they hold queued), and it no
/// longer counts as an active store. Closing a closed store changes nothing.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record CloseStoreCommand(Guid StoreId) : ICommand<StoreChangeResult>;

public sealed class CloseStoreHandler(StoreStreams streams, IClock clock) : ICommandHandler<CloseStoreCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(CloseStoreCommand command, CancellationToken cancellationToken) =>
        await streams.ChangeAsync(command.StoreId, store => (StoreDecisions.Close(store, clock.UtcNow), StoreChangeResult.Done), cancellationToken);
}
