using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Accounts.ResendConfirmation;

/// <summary>Sends the signed-in member a new confirmation link (a few per quarter hour at most).</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record ResendConfirmationCommand : ICommand<ResendOutcome>;

public enum ResendOutcome
{
    Sent,
    AlreadyConfirmed,
    TooMany,
}

public sealed class ResendConfirmationHandler(
    IDocumentSession session, ActorContext actors, ITenantContext tenant, AccountTokens tokens, IMailOutbox outbox, ISiteLinks links, AccountThrottle throttle)
    : ICommandHandler<ResendConfirmationCommand, ResendOutcome>
{
    public async ValueTask<ResendOutcome> Handle(ResendConfirmationCommand command, CancellationToken cancellationToken)
    {
        var member = actors.Current.MemberId is { } id ? await session.LoadAsync<TeamMember>(id, cancellationToken) : null;
        if (member is null || member.EmailConfirmed)
        {
            return ResendOutcome.AlreadyConfirmed;
        }

        var key = AccountThrottle.KeyFor("confirm", member.Id.ToString());
        if (await throttle.LockedUntilAsync(key, cancellationToken) is not null)
        {
            return ResendOutcome.TooMany;
        }

        await throttle.FailedAsync(key, cancellationToken);
        var store = tenant.RequiredTenant;
        var link = links.Store(store.Identifier, "/admin/confirm?token=" + tokens.Issue(AccountTokenPurpose.ConfirmEmail, store.Id, member));
        await outbox.QueueAsync(AccountMails.ConfirmEmail(member.Email, member.Language, store.Name, link), cancellationToken);
        return ResendOutcome.Sent;
    }
}
