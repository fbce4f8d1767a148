using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Tenants.ConfirmTenantEmail;

/// <summary>
/// The tenant's email address is confirmed: sent when the tenant's first Owner confirms theirs, and
/// the kiosk opens. A second confirmation is refused with <see cref="TenantRefusal.EmailAlreadyConfirmed"/>
/// and changes nothing, so a caller may treat that refusal as success.
/// </summary>
[PlatformOwnerOnly]
public sealed record ConfirmTenantEmailCommand(Guid TenantId) : ICommand<TenantChange>;

public sealed class ConfirmTenantEmailValidator : AbstractValidator<ConfirmTenantEmailCommand>
{
    public ConfirmTenantEmailValidator() => RuleFor(c => c.TenantId).NotEmpty();
}

public sealed class ConfirmTenantEmailHandler(TenantFacts facts, IClock clock) : ICommandHandler<ConfirmTenantEmailCommand, TenantChange>
{
    public async ValueTask<TenantChange> Handle(ConfirmTenantEmailCommand command, CancellationToken cancellationToken) =>
        await facts.RecordAsync(command.TenantId, new TenantFact.ConfirmEmail(clock.UtcNow), cancellationToken);
}
