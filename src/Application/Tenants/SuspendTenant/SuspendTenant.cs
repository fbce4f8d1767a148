using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Tenants.SuspendTenant;

/// <summary>The platform owner closes a store: its kiosk shows the unavailable page until it is reactivated.</summary>
[PlatformOwnerOnly]
public sealed record SuspendTenantCommand(Guid TenantId) : ICommand<TenantChange>;

public sealed class SuspendTenantValidator : AbstractValidator<SuspendTenantCommand>
{
    public SuspendTenantValidator() => RuleFor(c => c.TenantId).NotEmpty();
}

public sealed class SuspendTenantHandler(TenantFacts facts, IClock clock) : ICommandHandler<SuspendTenantCommand, TenantChange>
{
    public async ValueTask<TenantChange> Handle(SuspendTenantCommand command, CancellationToken cancellationToken) =>
        await facts.RecordAsync(command.TenantId, new TenantFact.Suspend(clock.UtcNow), cancellationToken);
}
