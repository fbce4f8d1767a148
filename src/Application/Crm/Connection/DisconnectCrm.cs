using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// Disconnects the CRM: the secrets are dropped (a reconnect asks for them again), the plain settings
/// and the mapping stay to pre-fill the form, and new sign-ups wait ("not connected") until a CRM is connected.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record DisconnectCrmCommand : ICommand<bool>;

public sealed class DisconnectCrmHandler(IDocumentSession session, CrmConnectionReader reader, IClock clock) : ICommandHandler<DisconnectCrmCommand, bool>
{
    public async ValueTask<bool> Handle(DisconnectCrmCommand command, CancellationToken cancellationToken)
    {
        if (await reader.LoadAsync(cancellationToken) is not { Active: true } connection)
        {
            return false;
        }

        session.Store(connection with { Active = false, ProtectedSecrets = null, SecretHints = new Dictionary<string, string>() });
        session.Events.Append(connection.ConnectionId, new CrmDisconnected(connection.ConnectionId, connection.Kind, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);
        return true;
    }
}
