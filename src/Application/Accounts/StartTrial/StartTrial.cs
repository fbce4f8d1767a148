using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Accounts.StartTrial;

/// <summary>
/// A retailer signs up at the apex: their tenant (trialing, kiosk closed until the address is
/// confirmed), their account as its first Owner and the confirmation mail, in one transaction.
/// </summary>
[Anyone]
public sealed record StartTrialCommand(string? CompanyName, string? Subdomain, string? Email, string? Password, string Language = "en")
    : ICommand<StartTrialResult>;

/// <param name="HandoffToken">Signs the new Owner in on their store's host (the apex's cookie is not sent there).</param>
public sealed record StartTrialResult(Guid TenantId, string Identifier, string HandoffToken);

public sealed class StartTrialValidator : AbstractValidator<StartTrialCommand>
{
    public StartTrialValidator(OnboardTenantValidator onboarding)
    {
        RuleFor(c => c).CustomAsync(async (command, context, cancellationToken) =>
        {
            // The tenant's own rules (name, subdomain, taken), under this form's field names.
            var result = await onboarding.ValidateAsync(new OnboardTenantCommand(command.Subdomain, command.CompanyName, NoTrial: false, ByPlatformOwner: false), cancellationToken);
            foreach (var failure in result.Errors)
            {
                var property = failure.PropertyName == nameof(OnboardTenantCommand.Name) ? nameof(StartTrialCommand.CompanyName) : failure.PropertyName;
                context.AddFailure(new ValidationFailure(property, failure.ErrorMessage));
            }
        });
        RuleFor(c => c.Email).Must(ShopperInput.IsEmail).WithMessage("Enter your work email address, like name@yourshop.com.");
        RuleFor(c => c.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Problem(password) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }
}

public sealed class StartTrialHandler(
    TenantFacts facts, NewMembers members, AccountTokens tokens, IMailOutbox outbox, ISiteLinks links, IClock clock, IOptions<TrialOptions> trial)
    : ICommandHandler<StartTrialCommand, StartTrialResult>
{
    public async ValueTask<StartTrialResult> Handle(StartTrialCommand command, CancellationToken cancellationToken)
    {
        var subdomain = Subdomain.Parse(command.Subdomain!);
        var now = clock.UtcNow;
        var tenantId = Guid.NewGuid();
        var name = command.CompanyName!.Trim();
        var language = command.Language is "nl" ? "nl" : "en";
        var owner = members.Create(ShopperInput.Email(command.Email)!, command.Password!, TeamRole.Owner, language);
        var fact = new TenantFact.Onboard(tenantId, subdomain.Value, name, now, now.AddDays(trial.Value.TrialDays), VouchedForByPlatformOwner: false);

        try
        {
            var change = await facts.RecordAsync(tenantId, fact, (session, tenant) =>
            {
                session.Insert(owner);
                session.Events.StartStream(owner.Id, new MemberJoined(owner.Id, TeamRole.Owner, null, now));
                var confirm = links.Store(tenant.Identifier, "/admin/confirm?token=" + tokens.Issue(AccountTokenPurpose.ConfirmEmail, tenantId, owner));
                outbox.Add(session, AccountMails.ConfirmEmail(owner.Email, language, name, confirm));
            }, cancellationToken);
            if (change.Outcome is not TenantChangeOutcome.Changed)
            {
                throw new InvalidOperationException($"The sign-up was not recorded: {change.Explanation}");
            }
        }
        catch (Exception exception) when (OnboardTenantHandler.IsIdentifierTaken(exception))
        {
            // Someone took the subdomain at the same moment: the whole transaction (tenant, account,
            // mail) rolled back, so nothing half-made is left.
            throw new ValidationException([new ValidationFailure(nameof(command.Subdomain), OnboardTenantValidator.Taken)]);
        }

        return new StartTrialResult(tenantId, subdomain.Value, tokens.Issue(AccountTokenPurpose.SignInHandoff, tenantId, owner));
    }
}
