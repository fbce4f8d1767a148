using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// Sends the earlier sign-ups to the connected CRM too (after a switch only new ones go there): one
/// job queues every sign-up not yet pushed to this connection. Pressing it twice pushes nothing twice.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SendCrmHistoryCommand : ICommand<bool>;

public sealed class SendCrmHistoryHandler(CrmConnectionReader reader, ITenantContext tenant, IBackgroundJobs jobs) : ICommandHandler<SendCrmHistoryCommand, bool>
{
    public async ValueTask<bool> Handle(SendCrmHistoryCommand command, CancellationToken cancellationToken)
    {
        if (await reader.LoadAsync(cancellationToken) is not { Active: true })
        {
            return false;
        }

        jobs.Enqueue(new QueueCrmPushesCommand(tenant.RequiredTenant.Id, CrmQueueReason.History), JobLane.Crm);
        return true;
    }
}
