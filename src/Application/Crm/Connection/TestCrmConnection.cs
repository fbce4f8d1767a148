using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>Tests the connection with the CRM's one cheap call (the webhook: a signed "ping").</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record TestCrmConnectionCommand : ICommand<CrmTestOutcome>;

/// <summary>
/// Null <see cref="Result"/>: there is no active connection to test. <see cref="RequeuedRefused"/>: the test passed and
/// the sign-ups the CRM had refused for the connection's credentials are being sent again.
/// </summary>
public sealed record CrmTestOutcome(CrmResult? Result, bool RequeuedRefused = false)
{
    public bool NotConnected => Result is null;
}

/// <summary>
/// A test that passes counts as the connection's recovery (<see cref="CrmHealth.SucceededAsync"/>): the
/// Manager fixed what was wrong and checked it, so the page stops saying "failing" and the Owners hear
/// it works again, as after the next successful push. The sign-ups the CRM refused for the connection's
/// credentials are queued again then (<see cref="CrmQueueReason.CredentialsFixed"/>): a signed
/// webhook's first pushes reach a receiver that does not know the secret yet, since it is shown only
/// once the connection is made, and a revoked token fails every push until it is replaced. A failed test
/// changes nothing: it is no push.
/// </summary>
public sealed class TestCrmConnectionHandler(CrmConnectionReader reader, CrmHealth health, IQuerySession session, ITenantContext tenant, IBackgroundJobs jobs)
    : ICommandHandler<TestCrmConnectionCommand, CrmTestOutcome>
{
    public async ValueTask<CrmTestOutcome> Handle(TestCrmConnectionCommand command, CancellationToken cancellationToken)
    {
        if (await reader.ActiveAsync(cancellationToken) is not (var connection, var connector, var target))
        {
            return new CrmTestOutcome(null);
        }

        var result = await connector.TestAsync(target, cancellationToken);
        if (!result.Succeeded)
        {
            return new CrmTestOutcome(result);
        }

        await health.SucceededAsync(connection, cancellationToken);
        var refused = await CrmCredentialFailures.Of(session.Query<SignUpSummary>(), connection.ConnectionId).AnyAsync(cancellationToken);
        if (refused)
        {
            jobs.Enqueue(new QueueCrmPushesCommand(tenant.RequiredTenant.Id, CrmQueueReason.CredentialsFixed), JobLane.Crm);
        }

        return new CrmTestOutcome(result, refused);
    }
}
