using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Tenants.ChangeTenantStatus;

/// <summary>Opens or closes a store: billing and the owner console use this.</summary>
[PlatformOwnerOnly]
public sealed record ChangeTenantStatusCommand(Guid TenantId, TenantStatus Status) : ICommand<bool>;

public sealed class ChangeTenantStatusValidator : AbstractValidator<ChangeTenantStatusCommand>
{
    public ChangeTenantStatusValidator()
    {
        RuleFor(c => c.TenantId).NotEmpty();
        RuleFor(c => c.Status).IsInEnum();
    }
}

public sealed class ChangeTenantStatusHandler(IDocumentStore store, ITenantStore tenants, IClock clock)
    : ICommandHandler<ChangeTenantStatusCommand, bool>
{
    /// <returns>False when the tenant does not exist.</returns>
    public async ValueTask<bool> Handle(ChangeTenantStatusCommand command, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession(command.TenantId.ToString());
        var tenant = await session.LoadAsync<Tenant>(command.TenantId, cancellationToken);
        if (tenant is null)
        {
            return false;
        }

        if (tenant.Status != command.Status)
        {
            session.Update(tenant with { Status = command.Status });
            session.Events.Append(tenant.Id, new TenantStatusChanged(tenant.Id, tenant.Status, command.Status, clock.UtcNow));
            await session.SaveChangesAsync(cancellationToken);
            tenants.Forget(tenant.Identifier);
        }

        return true;
    }
}
