using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Team.InviteMember;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Team.InviteFirstOwner;

/// <summary>
/// The platform owner moves a version-1 retailer over: the store made in the owner console gets its
/// first Owner by invitation, as any colleague would be invited.
/// </summary>
[PlatformOwnerOnly]
public sealed record InviteFirstOwnerCommand(Guid TenantId, string? Email) : ICommand<InviteFirstOwnerResult>;

public enum InviteFirstOwnerResult
{
    Invited,
    NoSuchStore,
    AlreadyInTeam,
}

public sealed class InviteFirstOwnerValidator : AbstractValidator<InviteFirstOwnerCommand>
{
    public InviteFirstOwnerValidator() =>
        RuleFor(c => c.Email).Must(ShopperInput.IsEmail).WithMessage("Enter the Owner's email address, like name@example.com.");
}

public sealed class InviteFirstOwnerHandler(IDocumentStore store, ITenantStore tenants, IMailOutbox outbox, ISiteLinks links, ILookupNormalizer normalizer, IClock clock)
    : ICommandHandler<InviteFirstOwnerCommand, InviteFirstOwnerResult>
{
    public async ValueTask<InviteFirstOwnerResult> Handle(InviteFirstOwnerCommand command, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindByIdAsync(command.TenantId, cancellationToken);
        if (tenant is null)
        {
            return InviteFirstOwnerResult.NoSuchStore;
        }

        var email = ShopperInput.Email(command.Email)!;
        var normalized = normalizer.NormalizeEmail(email);
        await using var session = store.LightweightSession(tenant.Id.ToString());
        if (await session.Query<TeamMember>().AnyAsync(m => m.NormalizedEmail == normalized, cancellationToken))
        {
            return InviteFirstOwnerResult.AlreadyInTeam;
        }

        await InvitationWriter.WriteAsync(session, tenant, email, normalized, TeamRole.Owner, inviter: null, "en", outbox, links, clock.UtcNow, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        return InviteFirstOwnerResult.Invited;
    }
}
