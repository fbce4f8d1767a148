using Mediator;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>Being written on the pipeline branch (issue 12 §3); until it lands, a push is not sent.</summary>
public sealed class PushSignUpToCrmHandler : ICommandHandler<PushSignUpToCrmCommand>
{
    public ValueTask<Unit> Handle(PushSignUpToCrmCommand command, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The CRM push pipeline has not landed yet.");
}
