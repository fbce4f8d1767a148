using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Team.RevokeInvitation;

[RequiresRole(TeamRole.Owner)]
public sealed record RevokeInvitationCommand(Guid InvitationId) : ICommand<bool>;

public sealed class RevokeInvitationHandler(IDocumentSession session, IClock clock) : ICommandHandler<RevokeInvitationCommand, bool>
{
    /// <returns>False when there is no open invitation with that id in this team.</returns>
    public async ValueTask<bool> Handle(RevokeInvitationCommand command, CancellationToken cancellationToken)
    {
        var invitation = await session.LoadAsync<Invitation>(command.InvitationId, cancellationToken);
        var now = clock.UtcNow;
        if (invitation is null || invitation.StateAt(now) != InvitationState.Open)
        {
            return false;
        }

        session.Update(invitation with { RevokedAt = now });
        session.Events.Append(invitation.Id, new InvitationRevoked(invitation.Id, now));
        await session.SaveChangesAsync(cancellationToken);
        return true;
    }
}
