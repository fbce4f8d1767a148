using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Stores.AddStore;

/// <summary>Adds one of the retailer's shops. Publishes no form version: the form is the same in every store.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record AddStoreCommand(string? Name, string? TimeZone, string? Address = null) : ICommand<Guid>;

public sealed class AddStoreValidator : AbstractValidator<AddStoreCommand>
{
    public AddStoreValidator(IQuerySession session)
    {
        RuleFor(c => c.Name).Cascade(CascadeMode.Stop)
            .ValidStoreName()
            .MustAsync(async (name, cancellationToken) => !StoreRules.NameIsTaken(await session.Query<RetailStore>().ToListAsync(cancellationToken), name))
            .WithMessage("Another store already has this name.");
        RuleFor(c => c.TimeZone).ValidTimeZone();
        RuleFor(c => c.Address).ValidAddress();
    }
}

public sealed class AddStoreHandler(StoreStreams streams, IClock clock) : ICommandHandler<AddStoreCommand, Guid>
{
    /// <returns>The new store's id (its stream's id).</returns>
    public async ValueTask<Guid> Handle(AddStoreCommand command, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await streams.StartAsync(id, [new StoreAdded(id, StoreRules.CleanName(command.Name), command.TimeZone!, StoreRules.CleanAddress(command.Address), clock.UtcNow)], cancellationToken);
        return id;
    }
}
