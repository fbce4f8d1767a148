using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Accounts.ConfirmEmail;

/// <summary>
/// The link in the confirmation mail. When the store's first Owner confirms, the store's address is
/// confirmed too and its kiosk opens (while the trial runs).
/// </summary>
[Anyone]
public sealed record ConfirmEmailCommand(string? Token) : ICommand<AccountTokenCheck>;

public sealed class ConfirmEmailHandler(IDocumentSession session, TokenLinks links, TenantFacts facts, ITenantContext tenant, IClock clock)
    : ICommandHandler<ConfirmEmailCommand, AccountTokenCheck>
{
    public async ValueTask<AccountTokenCheck> Handle(ConfirmEmailCommand command, CancellationToken cancellationToken)
    {
        var use = await links.ReadAsync(session, command.Token, AccountTokenPurpose.ConfirmEmail, cancellationToken);
        if (use.Check != AccountTokenCheck.Valid)
        {
            return use.Check;
        }

        // The store first, then the member: a failure between the two leaves a link that still works,
        // and confirming the store again is refused as already done.
        var store = tenant.RequiredTenant;
        if (use.Member!.Role == TeamRole.Owner && !store.IsEmailConfirmed)
        {
            var change = await facts.RecordAsync(store.Id, new TenantFact.ConfirmEmail(clock.UtcNow), cancellationToken);
            if (change.Outcome is TenantChangeOutcome.NotFound)
            {
                return AccountTokenCheck.Invalid;
            }
        }

        var member = use.Member;
        member.EmailConfirmed = true;
        session.Update(member);
        session.Events.Append(member.Id, new MemberEmailConfirmed(member.Id, clock.UtcNow));
        TokenLinks.Spend(session, use.Token!);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception) || exception is JasperFx.DocumentAlreadyExistsException)
        {
            return AccountTokenCheck.Used;
        }

        return AccountTokenCheck.Valid;
    }
}
