using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Stores.SetStoreStaffPin;

/// <summary>
/// Gives one store its own staff PIN (the held-sign-up panel of its tablets), in place of the
/// tenant-wide one. Only the hash is kept, in its own document; the event says when, not what.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SetStoreStaffPinCommand(Guid StoreId, string? Pin) : ICommand<StoreChangeResult>;

public sealed class SetStoreStaffPinValidator : AbstractValidator<SetStoreStaffPinCommand>
{
    public SetStoreStaffPinValidator()
    {
        RuleFor(c => c.Pin).ValidStaffPin();
    }
}

public sealed class SetStoreStaffPinHandler(StoreStreams streams, ITenantContext tenant, IStaffPins pins, IClock clock)
    : ICommandHandler<SetStoreStaffPinCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(SetStoreStaffPinCommand command, CancellationToken cancellationToken)
    {
        var pin = StaffPin.Create(command.Pin!, clock.UtcNow) with { Id = StaffPin.DocumentIdFor(command.StoreId) };
        var result = await streams.ChangeAsync(
            command.StoreId, store => ([new StoreStaffPinSet(store.Id, pin.SetAt)], StoreChangeResult.Done), cancellationToken, (session, _) => session.Store(pin));
        if (result.IsDone)
        {
            pins.Forget(tenant.RequiredTenant.Id);
        }

        return result;
    }
}
