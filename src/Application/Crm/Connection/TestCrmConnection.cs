using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>Tests the connection with the CRM's one cheap call (the webhook: a signed "ping").</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record TestCrmConnectionCommand : ICommand<CrmTestOutcome>;

/// <summary>Null <see cref="Result"/>: there is no active connection to test.</summary>
public sealed record CrmTestOutcome(CrmResult? Result)
{
    public bool NotConnected => Result is null;
}

/// <summary>
/// A test that passes counts as the connection's recovery (<see cref="CrmHealth.SucceededAsync"/>): the
/// Manager fixed what was wrong and checked it, so the page stops saying "failing" and the Owners hear
/// it works again, as after the next successful push. A failed test changes nothing: it is no push.
/// </summary>
public sealed class TestCrmConnectionHandler(CrmConnectionReader reader, CrmHealth health) : ICommandHandler<TestCrmConnectionCommand, CrmTestOutcome>
{
    public async ValueTask<CrmTestOutcome> Handle(TestCrmConnectionCommand command, CancellationToken cancellationToken)
    {
        if (await reader.ActiveAsync(cancellationToken) is not (var connection, var connector, var target))
        {
            return new CrmTestOutcome(null);
        }

        var result = await connector.TestAsync(target, cancellationToken);
        if (result.Succeeded)
        {
            await health.SucceededAsync(connection, cancellationToken);
        }

        return new CrmTestOutcome(result);
    }
}
