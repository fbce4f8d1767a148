using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Tenants.SetStaffPin;

/// <summary>
/// Sets or replaces a store's staff PIN. By tenant id, not the request's tenant: the owner console
/// (and later the retailer's admin) sets it from outside the store's own host.
/// </summary>
[PlatformOwnerOnly]
public sealed record SetStaffPinCommand(Guid TenantId, string Pin) : ICommand<bool>;

public sealed class SetStaffPinValidator : AbstractValidator<SetStaffPinCommand>
{
    public SetStaffPinValidator()
    {
        RuleFor(c => c.TenantId).NotEmpty();
        RuleFor(c => c.Pin).ValidStaffPin();
    }
}

public sealed class SetStaffPinHandler(IDocumentStore store, ITenantStore tenants, IStaffPins pins, ITenantChanges changes, IClock clock)
    : ICommandHandler<SetStaffPinCommand, bool>
{
    /// <returns>False when the store does not exist.</returns>
    public async ValueTask<bool> Handle(SetStaffPinCommand command, CancellationToken cancellationToken)
    {
        if (await tenants.FindByIdAsync(command.TenantId, cancellationToken) is null)
        {
            return false;
        }

        var pin = StaffPin.Create(command.Pin, clock.UtcNow);
        await using var session = store.LightweightSession(command.TenantId.ToString());
        session.Store(pin);
        session.Events.Append(command.TenantId, new StaffPinSet(command.TenantId, pin.SetAt));
        changes.Announce(session, command.TenantId);
        await session.SaveChangesAsync(cancellationToken);
        pins.Forget(command.TenantId);
        return true;
    }
}
