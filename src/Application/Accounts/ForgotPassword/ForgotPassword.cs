using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts.ForgotPassword;

/// <summary>
/// "Forgot your password?" on a store's host. The answer never says whether the address has an
/// account: the request only stores what was asked and queues a job; the job looks the member up.
/// </summary>
[Anyone]
public sealed record RequestPasswordResetCommand(string? Email, string Language = "en") : ICommand;

/// <summary>
/// What someone asked for, kept only until the job has handled it: it holds an address, so the job
/// deletes it whatever it finds. The job's argument is this document's id, never the address.
/// </summary>
public sealed record PasswordResetRequest(Guid Id, string Email, string Language, DateTimeOffset RequestedAt);

public sealed class RequestPasswordResetValidator : AbstractValidator<RequestPasswordResetCommand>
{
    public RequestPasswordResetValidator() =>
        RuleFor(c => c.Email).Must(ShopperInput.IsEmail).WithMessage("Enter an email address, like name@example.com.");
}

/// <summary>The same two writes for a known and an unknown address, so both answers take as long.</summary>
public sealed class RequestPasswordResetHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs, IClock clock)
    : ICommandHandler<RequestPasswordResetCommand>
{
    public async ValueTask<Unit> Handle(RequestPasswordResetCommand command, CancellationToken cancellationToken)
    {
        var request = new PasswordResetRequest(Guid.NewGuid(), ShopperInput.Email(command.Email)!, MailLanguage.Of(command.Language), clock.UtcNow);
        session.Insert(request);
        await session.SaveChangesAsync(cancellationToken);
        jobs.Enqueue(new SendPasswordResetCommand(tenant.RequiredTenant.Id, request.Id), JobLane.Mail);
        return Unit.Value;
    }
}

/// <summary>The job of a reset request: mails a reset link when the address has an account here.</summary>
public sealed record SendPasswordResetCommand(Guid TenantId, Guid RequestId) : ITenantJobCommand;

/// <summary>
/// Looks the member up; only when there is one (and the address is not throttled) issues a reset
/// token bound to the security stamp and queues the mail in the member's language. The request is
/// deleted in the same transaction in every outcome, so a retry after success finds nothing to do.
/// </summary>
public sealed class SendPasswordResetHandler(
    IDocumentSession session, ITenantContext tenant, AccountTokens tokens, AccountThrottle throttle, IMailOutbox outbox, ISiteLinks links, ILookupNormalizer normalizer)
    : ICommandHandler<SendPasswordResetCommand>
{
    public async ValueTask<Unit> Handle(SendPasswordResetCommand command, CancellationToken cancellationToken)
    {
        var request = await session.LoadAsync<PasswordResetRequest>(command.RequestId, cancellationToken);
        if (request is null)
        {
            return Unit.Value;
        }

        var store = tenant.RequiredTenant;
        var normalized = normalizer.NormalizeEmail(request.Email);
        var member = await session.Query<TeamMember>().FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken);
        if (member is not null && await throttle.MaySendAsync(ThrottleKeyOf(request.Email), cancellationToken))
        {
            var token = tokens.Issue(AccountTokenPurpose.ResetPassword, store.Id, member);
            outbox.Add(session, AccountMails.ResetPassword(
                member.Email, MailLanguage.Of(member.Language), store.Name, links.Store(store.Identifier, $"/admin/reset-password?token={token}")));
        }

        session.Delete(request);
        await session.SaveChangesAsync(CancellationToken.None);
        return Unit.Value;
    }

    /// <summary>Per address, whichever store it is asked at: the limit protects the inbox.</summary>
    public static string ThrottleKeyOf(string email) => AccountThrottle.KeyFor("reset-mail", email);
}

/// <summary>The languages account mails are written in; anything else gets English.</summary>
public static class MailLanguage
{
    public static string Of(string? language) => language is "nl" ? "nl" : "en";
}
