using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Tenants.OnboardTenant;

/// <summary>Puts a new retailer on the platform at <c>{Subdomain}.{root}</c>.</summary>
[PlatformOwnerOnly]
public sealed record OnboardTenantCommand(string? Subdomain, string? Name) : ICommand<OnboardTenantResult>;

public sealed record OnboardTenantResult(Guid TenantId, string Identifier);

public sealed class OnboardTenantValidator : AbstractValidator<OnboardTenantCommand>
{
    public const int NameMaxLength = 80;

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
                await using var session = store.QuerySession();
                var identifier = value!.ToLowerInvariant();
                return !await session.Query<Tenant>().AnyAsync(t => t.Identifier == identifier, cancellationToken);
            })
            .When(c => Domain.Tenants.Subdomain.TryParse(c.Subdomain, out _, out _), ApplyConditionTo.CurrentValidator)
            .WithMessage("That subdomain is taken. Choose another.");

        RuleFor(c => c.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter the name of your business.")
            .MaximumLength(NameMaxLength).WithMessage($"Keep the name to {NameMaxLength} characters.")
            .Must(name => name is null || !name.Any(char.IsControl)).WithMessage("The name contains characters that cannot be shown.");
    }
}

public sealed class OnboardTenantHandler(IDocumentStore store, ITenantStore tenants, IClock clock)
    : ICommandHandler<OnboardTenantCommand, OnboardTenantResult>
{
    public async ValueTask<OnboardTenantResult> Handle(OnboardTenantCommand command, CancellationToken cancellationToken)
    {
        var subdomain = Subdomain.Parse(command.Subdomain!);
        var now = clock.UtcNow;
        var tenant = new Tenant(Guid.NewGuid(), subdomain.Value, command.Name!.Trim(), TenantStatus.Trialing, now);

        // The tenant document is global; its history stream belongs to the tenant itself.
        await using var session = store.LightweightSession(tenant.Id.ToString());
        session.Insert(tenant);
        session.Events.StartStream(tenant.Id, new TenantOnboarded(tenant.Id, tenant.Identifier, tenant.Name, now));
        await session.SaveChangesAsync(cancellationToken);

        tenants.Forget(tenant.Identifier);
        return new OnboardTenantResult(tenant.Id, tenant.Identifier);
    }
}
