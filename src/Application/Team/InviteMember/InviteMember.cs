using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Team.InviteMember;

[RequiresRole(TeamRole.Owner)]
public sealed record InviteMemberCommand(string? Email, TeamRole Role) : ICommand<InviteMemberResult>;

public sealed record InviteMemberResult(Guid InvitationId);

public sealed class InviteMemberValidator : AbstractValidator<InviteMemberCommand>
{
    public InviteMemberValidator(IQuerySession session, ILookupNormalizer normalizer)
    {
        RuleFor(c => c.Email)
            .Must(ShopperInput.IsEmail).WithMessage("Enter an email address, like name@example.com.")
            .MustAsync(async (email, cancellationToken) =>
            {
                var normalized = normalizer.NormalizeEmail(ShopperInput.Email(email)!);
                return !await session.Query<TeamMember>().AnyAsync(m => m.NormalizedEmail == normalized, cancellationToken);
            })
            .When(c => ShopperInput.IsEmail(c.Email), ApplyConditionTo.CurrentValidator)
            .WithMessage("This person is already in the team.");
        RuleFor(c => c.Role).IsInEnum().WithMessage("Choose Owner, Manager or Staff.");
    }
}

/// <summary>
/// Stores the invitation and its mail in one transaction: either both exist or neither. An open
/// invitation to the same address is replaced, so only the newest link works.
/// </summary>
public sealed class InviteMemberHandler(
    IDocumentSession session, ITenantContext tenant, ActorContext actors, IMailOutbox outbox, ISiteLinks links, ILookupNormalizer normalizer, IClock clock)
    : ICommandHandler<InviteMemberCommand, InviteMemberResult>
{
    public async ValueTask<InviteMemberResult> Handle(InviteMemberCommand command, CancellationToken cancellationToken)
    {
        var store = tenant.RequiredTenant;
        var email = ShopperInput.Email(command.Email)!;
        var normalized = normalizer.NormalizeEmail(email);
        var now = clock.UtcNow;
        var inviter = actors.Current.MemberId is { } inviterId ? await session.LoadAsync<TeamMember>(inviterId, cancellationToken) : null;

        var invitation = await InvitationWriter.WriteAsync(session, store, email, normalized, command.Role, inviter, inviter?.Language ?? "en", outbox, links, now, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        return new InviteMemberResult(invitation.Id);
    }
}

/// <summary>
/// Writes an invitation and its mail into a tenant's session (the caller saves): an open invitation to
/// the same address is withdrawn first, so only the newest link works.
/// </summary>
public static class InvitationWriter
{
    public static async Task<Invitation> WriteAsync(
        IDocumentSession session, Domain.Tenants.Tenant store, string email, string normalized, TeamRole role, TeamMember? inviter, string language,
        IMailOutbox outbox, ISiteLinks links, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await session.Query<Invitation>()
            .Where(i => i.NormalizedEmail == normalized && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var replaced in open)
        {
            session.Update(replaced with { RevokedAt = now });
            session.Events.Append(replaced.Id, new InvitationRevoked(replaced.Id, now));
        }

        var token = InvitationTokens.New();
        var invitation = new Invitation(Guid.NewGuid(), email, normalized, role, InvitationTokens.Hash(token), inviter?.Id ?? Guid.Empty, now, now + Invitation.Lifetime);
        session.Insert(invitation);
        session.Events.StartStream(invitation.Id, new MemberInvited(invitation.Id, invitation.Role, invitation.ExpiresAt, now));
        outbox.Add(session, AccountMails.Invitation(
            email, language, store.Name, inviter?.Email, InvitationRoleNames.Of(role, language), links.Store(store.Identifier, $"/admin/invitation?token={token}")));
        return invitation;
    }
}

/// <summary>The roles as an invitation mail names them, in the inviter's language.</summary>
public static class InvitationRoleNames
{
    public static string Of(TeamRole role, string language) => (role, language) switch
    {
        (TeamRole.Owner, "nl") => "Eigenaar",
        (TeamRole.Staff, "nl") => "Medewerker",
        (TeamRole.Manager, _) => "Manager",
        (TeamRole.Owner, _) => "Owner",
        _ => language == "nl" ? "Medewerker" : "Staff",
    };
}
