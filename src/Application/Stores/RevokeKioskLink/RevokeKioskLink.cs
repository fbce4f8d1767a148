using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Mediator;

namespace CustomerInfo.Application.Stores.RevokeKioskLink;

/// <summary>
/// Revokes a kiosk link: the tablet using it stops within seconds (every pod hears of it); the
/// sign-ups queued on it stay on the tablet. Revoking a revoked link changes nothing.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RevokeKioskLinkCommand(Guid StoreId, Guid LinkId) : ICommand<StoreChangeResult>;

public sealed class RevokeKioskLinkHandler(StoreStreams streams, IClock clock) : ICommandHandler<RevokeKioskLinkCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(RevokeKioskLinkCommand command, CancellationToken cancellationToken) =>
        await streams.ChangeAsync(command.StoreId, store => (StoreDecisions.Revoke(store, command.LinkId, clock.UtcNow), StoreChangeResult.NotFound), cancellationToken);
}
