using CustomerInfo.Application.Common.Security;
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

public sealed class TestCrmConnectionHandler(CrmConnectionReader reader) : ICommandHandler<TestCrmConnectionCommand, CrmTestOutcome>
{
    public async ValueTask<CrmTestOutcome> Handle(TestCrmConnectionCommand command, CancellationToken cancellationToken) =>
        await reader.ActiveAsync(cancellationToken) is (_, var connector, var target)
            ? new CrmTestOutcome(await connector.TestAsync(target, cancellationToken))
            : new CrmTestOutcome(null);
}
