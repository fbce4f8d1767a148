using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Tenants.OnboardTenant;

/// <summary>
/// Puts a new retailer on the platform at <c>{Subdomain}.{root}</c>, on a trial of
/// <c>Billing:TrialDays</c> unless <paramref name="NoTrial"/>. <paramref name="ByPlatformOwner"/>:
/// the platform owner vouches for the tenants they create, so those count as email-confirmed at once
/// (the rule is <see cref="TenantLifecycle.Decide"/>'s); a self-onboarded retailer's kiosk opens when
/// they confirm their email (<c>ConfirmTenantEmailCommand</c>). Only the platform owner may skip the trial.
/// A subdomain taken (also by a request at the same moment) fails with a validation error on
/// <see cref="Subdomain"/>, as any other invalid input does.
/// </summary>
[PlatformOwnerOnly]
public sealed record OnboardTenantCommand(string? Subdomain, string? Name, bool NoTrial = false, bool ByPlatformOwner = true) : ICommand<OnboardTenantResult>;

public sealed record OnboardTenantResult(Guid TenantId, string Identifier);

public sealed class OnboardTenantValidator : AbstractValidator<OnboardTenantCommand>
{
    public const int NameMaxLength = 80;
    public const string Taken = "That subdomain is taken. Choose another.";

    public OnboardTenantValidator(IDocumentStore store)
    {
        RuleFor(c => c.Subdomain)
            .Custom((value, context) =>
            {
                if (!Domain.Tenants.Subdomain.TryParse(value, out _, out var reason))
                {
                    context.AddFailure(reason);
                }
            })
            .MustAsync(async (value, cancellationToken) =>
            {
                // The quick answer for the common case; two requests at the same moment are decided by
                // the unique index, which the handler reads the same way.
                await using var session = store.QuerySession();
                var identifier = value!.ToLowerInvariant();
                return !await session.Query<Tenant>().AnyAsync(t => t.Identifier == identifier, cancellationToken);
            })
            .When(c => Domain.Tenants.Subdomain.TryParse(c.Subdomain, out _, out _), ApplyConditionTo.CurrentValidator)
            .WithMessage(Taken);

        RuleFor(c => c.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter the name of your business.")
            .MaximumLength(NameMaxLength).WithMessage($"Keep the name to {NameMaxLength} characters.")
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("The name contains characters that cannot be shown.");

        RuleFor(c => c.NoTrial)
            .Must((command, noTrial) => !noTrial || command.ByPlatformOwner)
            .WithMessage(TenantDecision.Explain(TenantRefusal.NoTrialNeedsThePlatformOwner));
    }
}

public sealed class OnboardTenantHandler(TenantFacts facts, IClock clock, IOptions<TrialOptions> trial)
    : ICommandHandler<OnboardTenantCommand, OnboardTenantResult>
{
    public async ValueTask<OnboardTenantResult> Handle(OnboardTenantCommand command, CancellationToken cancellationToken)
    {
        var subdomain = Subdomain.Parse(command.Subdomain!);
        var now = clock.UtcNow;
        DateTimeOffset? trialEndsAt = command.NoTrial ? null : now.AddDays(trial.Value.TrialDays);
        var id = Guid.NewGuid();
        var fact = new TenantFact.Onboard(id, subdomain.Value, command.Name!.Trim(), now, trialEndsAt, command.ByPlatformOwner);

        TenantChange change;
        try
        {
            change = await facts.RecordAsync(id, fact, cancellationToken);
        }
        catch (Exception exception) when (IsIdentifierTaken(exception))
        {
            // Another onboarding took the subdomain between our check and our insert. The whole
            // transaction (stream, events, document) rolled back: nothing of this tenant is left.
            throw new ValidationException([new ValidationFailure(nameof(command.Subdomain), OnboardTenantValidator.Taken)]);
        }

        return change.Outcome is TenantChangeOutcome.Changed
            ? new OnboardTenantResult(id, subdomain.Value)
            : throw new InvalidOperationException($"Onboarding was not recorded: {change.Explanation}");
    }

    /// <summary>
    /// PostgreSQL's unique violation (23505) on the tenant document's identifier index, however Marten
    /// wraps it (<see cref="PostgresErrors"/>).
    /// </summary>
    public static bool IsIdentifierTaken(Exception? exception) =>
        exception is not null && PostgresErrors.IsUniqueViolation(exception, "uidx_identifier");
}
