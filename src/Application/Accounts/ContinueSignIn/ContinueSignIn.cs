using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Accounts.ContinueSignIn;

/// <summary>
/// The new retailer's first step on their own host: the hand-off token from the sign-up page (two
/// minutes, once) becomes a session here, since the apex's cookie is never sent to a store's host.
/// </summary>
[Anyone]
public sealed record ContinueSignInCommand(string? Token) : ICommand<ContinueSignInResult>;

public sealed record ContinueSignInResult(AccountTokenCheck Check, TeamMember? Member);

public sealed class ContinueSignInHandler(IDocumentSession session, TokenLinks links, ActorContext actors, ITenantContext tenant, IClock clock) : ICommandHandler<ContinueSignInCommand, ContinueSignInResult>
{
    public async ValueTask<ContinueSignInResult> Handle(ContinueSignInCommand command, CancellationToken cancellationToken)
    {
        var use = await links.ReadAsync(session, command.Token, AccountTokenPurpose.SignInHandoff, cancellationToken);
        if (use.Check != AccountTokenCheck.Valid)
        {
            return new ContinueSignInResult(use.Check, null);
        }

        // A hand-off never passes a second factor: an account that has one signs in at the sign-in page.
        if (use.Member!.TwoFactorEnabled)
        {
            return new ContinueSignInResult(AccountTokenCheck.Invalid, null);
        }

        TokenLinks.Spend(session, use.Token!);
        SignIns.Record(session, actors, tenant.RequiredTenant.Id, use.Member, withSecondFactor: false, clock.UtcNow);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception) || exception is JasperFx.DocumentAlreadyExistsException)
        {
            return new ContinueSignInResult(AccountTokenCheck.Used, null);
        }

        return new ContinueSignInResult(AccountTokenCheck.Valid, use.Member);
    }
}
