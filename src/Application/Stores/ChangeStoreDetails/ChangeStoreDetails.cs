using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Stores.ChangeStoreDetails;

[RequiresRole(TeamRole.Manager)]
public sealed record ChangeStoreDetailsCommand(Guid StoreId, string? Name, string? TimeZone, string? Address = null) : ICommand<StoreChangeResult>;

public sealed class ChangeStoreDetailsValidator : AbstractValidator<ChangeStoreDetailsCommand>
{
    public ChangeStoreDetailsValidator(IQuerySession session)
    {
        RuleFor(c => c.Name).Cascade(CascadeMode.Stop)
            .ValidStoreName()
            .MustAsync(async (command, name, cancellationToken) =>
                !StoreRules.NameIsTaken(await session.Query<RetailStore>().ToListAsync(cancellationToken), name, except: command.StoreId))
            .WithMessage("Another store already has this name.");
        RuleFor(c => c.TimeZone).ValidTimeZone();
        RuleFor(c => c.Address).ValidAddress();
    }
}

public sealed class ChangeStoreDetailsHandler(StoreStreams streams, IClock clock) : ICommandHandler<ChangeStoreDetailsCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(ChangeStoreDetailsCommand command, CancellationToken cancellationToken) =>
        await streams.ChangeAsync(command.StoreId, store =>
            (StoreDecisions.ChangeDetails(store, StoreRules.CleanName(command.Name), command.TimeZone!, StoreRules.CleanAddress(command.Address), clock.UtcNow), StoreChangeResult.Done),
            cancellationToken);
}
