using CustomerInfo.Application.Accounts.ForgotPassword;
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

namespace CustomerInfo.Application.Accounts.FindMyStores;

/// <summary>
/// "Sign in" at the apex: mails the address the sign-in links of its stores (or, with none, a trial
/// link). The answer is the same either way; the job does the looking up.
/// </summary>
[Anyone]
public sealed record FindMyStoresCommand(string? Email, string Language = "en") : ICommand;

/// <summary>What was asked at the apex, kept only until its job ran (it holds an address). Not tenanted.</summary>
public sealed record StoreLinksRequest(Guid Id, string Email, string Language, DateTimeOffset RequestedAt);

public sealed class FindMyStoresValidator : AbstractValidator<FindMyStoresCommand>
{
    public FindMyStoresValidator() =>
        RuleFor(c => c.Email).Must(ShopperInput.IsEmail).WithMessage("Enter an email address, like name@example.com.");
}

public sealed class FindMyStoresHandler(IDocumentStore store, IBackgroundJobs jobs, IClock clock) : ICommandHandler<FindMyStoresCommand>
{
    public async ValueTask<Unit> Handle(FindMyStoresCommand command, CancellationToken cancellationToken)
    {
        var request = new StoreLinksRequest(Guid.NewGuid(), ShopperInput.Email(command.Email)!, MailLanguage.Of(command.Language), clock.UtcNow);
        await using (var session = store.LightweightSession())
        {
            session.Insert(request);
            await session.SaveChangesAsync(cancellationToken);
        }

        jobs.Enqueue(new SendStoreLinksCommand(request.Id), JobLane.Mail);
        return Unit.Value;
    }
}

/// <summary>The job of an apex sign-in request: searches every tenant for the address.</summary>
public sealed record SendStoreLinksCommand(Guid RequestId) : IJobCommand;

/// <summary>
/// One mail either way (unless the address is throttled): the stores with an account for the address,
/// each with its sign-in link, or the no-account mail with a trial link. The request is deleted in the
/// mail's transaction, so a retry after success does nothing.
/// </summary>
public sealed class SendStoreLinksHandler(
    IDocumentStore store, ITenantStore tenants, AccountThrottle throttle, IMailOutbox outbox, ISiteLinks links, ILookupNormalizer normalizer)
    : ICommandHandler<SendStoreLinksCommand>
{
    public async ValueTask<Unit> Handle(SendStoreLinksCommand command, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var request = await session.LoadAsync<StoreLinksRequest>(command.RequestId, cancellationToken);
        if (request is null)
        {
            return Unit.Value;
        }

        var normalized = normalizer.NormalizeEmail(request.Email);
        var tenantIds = await session.Query<TeamMember>()
            .Where(m => m.AnyTenant() && m.NormalizedEmail == normalized)
            .Select(m => m.TenantId)
            .ToListAsync(cancellationToken);

        var stores = new List<StoreSignIn>();
        foreach (var id in tenantIds.Distinct())
        {
            if (Guid.TryParse(id, out var tenantId) && await tenants.FindByIdAsync(tenantId, cancellationToken) is { } tenant)
            {
                stores.Add(new StoreSignIn(tenant.Name, links.Store(tenant.Identifier, "/admin/signin")));
            }
        }

        if (await throttle.MaySendAsync(ThrottleKeyOf(request.Email), cancellationToken))
        {
            outbox.Add(session, stores.Count > 0
                ? AccountMails.YourStores(request.Email, request.Language, [.. stores.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase)])
                : AccountMails.NoAccount(request.Email, request.Language, links.Platform("/start")));
        }

        session.Delete(request);
        await session.SaveChangesAsync(CancellationToken.None);
        return Unit.Value;
    }

    public static string ThrottleKeyOf(string email) => AccountThrottle.KeyFor("stores-mail", email);
}
