using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.WithdrawConsent;

/// <summary>
/// The shopper told the store to stop emailing (or texting) them: recorded on their contact's
/// stream (the contact that holds them now, when <see cref="ContactId"/> was merged). Safe to
/// repeat: a consent that is not current is not withdrawn again.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record WithdrawConsentCommand(Guid ContactId, ConsentChannel Channel) : ICommand<WithdrawConsentOutcome>;

public enum WithdrawConsentOutcome
{
    NotFound,
    Withdrawn,

    /// <summary>The shopper has no current consent on that channel (never given, withdrawn already, or erased).</summary>
    NothingToWithdraw,
}

public sealed class WithdrawConsentValidator : AbstractValidator<WithdrawConsentCommand>
{
    public WithdrawConsentValidator()
    {
        RuleFor(c => c.ContactId).NotEqual(Guid.Empty);
        RuleFor(c => c.Channel).IsInEnum();
    }
}

public static class ConsentWithdrawal
{
    /// <summary>The event that records the withdrawal, or null when there is no current consent to withdraw.</summary>
    public static ConsentWithdrawn? Decide(ContactSummary contact, ConsentChannel channel, DateTimeOffset now) =>
        contact.ConsentOn(channel) is null ? null : new ConsentWithdrawn(contact.Id, channel, now);
}

public sealed class WithdrawConsentHandler(IDocumentSession session, IClock clock) : ICommandHandler<WithdrawConsentCommand, WithdrawConsentOutcome>
{
    public async ValueTask<WithdrawConsentOutcome> Handle(WithdrawConsentCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadCurrentAsync(command.ContactId, cancellationToken) is not { } contact)
        {
            return WithdrawConsentOutcome.NotFound;
        }

        if (ConsentWithdrawal.Decide(contact, command.Channel, clock.UtcNow) is not { } withdrawn)
        {
            return WithdrawConsentOutcome.NothingToWithdraw;
        }

        session.Events.Append(contact.Id, withdrawn);
        await session.SaveChangesAsync(cancellationToken);
        return WithdrawConsentOutcome.Withdrawn;
    }
}
