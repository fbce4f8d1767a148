using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Tenants.ReactivateTenant;

/// <summary>The platform owner opens a suspended store again, in the state it was suspended from.</summary>
[PlatformOwnerOnly]
public sealed record ReactivateTenantCommand(Guid TenantId) : ICommand<TenantChange>;

public sealed class ReactivateTenantValidator : AbstractValidator<ReactivateTenantCommand>
{
    public ReactivateTenantValidator() => RuleFor(c => c.TenantId).NotEmpty();
}

public sealed class ReactivateTenantHandler(TenantFacts facts, IClock clock) : ICommandHandler<ReactivateTenantCommand, TenantChange>
{
    public async ValueTask<TenantChange> Handle(ReactivateTenantCommand command, CancellationToken cancellationToken) =>
        await facts.RecordAsync(command.TenantId, new TenantFact.Reactivate(clock.UtcNow), cancellationToken);
}
