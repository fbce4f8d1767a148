using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// Sends the earlier sign-ups to the connected CRM too (after a switch only new ones go there): one
/// job queues every sign-up not yet pushed to this connection. Pressing it twice pushes nothing twice.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SendCrmHistoryCommand : ICommand<bool>;

public sealed class SendCrmHistoryHandler(IDocumentSession session, CrmConnectionReader reader, ITenantContext tenant, IBackgroundJobs jobs, IClock clock) : ICommandHandler<SendCrmHistoryCommand, bool>
{
    public async ValueTask<bool> Handle(SendCrmHistoryCommand command, CancellationToken cancellationToken)
    {
        if (await reader.LoadAsync(cancellationToken) is not { Active: true } connection)
        {
            return false;
        }

        session.Events.Append(connection.ConnectionId, new CrmHistorySent(connection.ConnectionId, connection.Kind, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);

        jobs.Enqueue(new QueueCrmPushesCommand(tenant.RequiredTenant.Id, CrmQueueReason.History), JobLane.Crm);
        return true;
    }
}
