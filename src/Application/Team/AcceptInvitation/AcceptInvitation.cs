using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Team.AcceptInvitation;

/// <summary>What the invitation page shows before the invited person chooses a password.</summary>
[Anyone]
public sealed record GetInvitationQuery(string? Token) : IQuery<InvitationLookup>;

public sealed record InvitationLookup(InvitationState? State, string? Email = null, TeamRole? Role = null)
{
    /// <summary>No invitation has this token: forged, mangled, or from another store.</summary>
    public bool Unknown => State is null;
}

public sealed class GetInvitationHandler(IQuerySession session, IClock clock) : IQueryHandler<GetInvitationQuery, InvitationLookup>
{
    public async ValueTask<InvitationLookup> Handle(GetInvitationQuery query, CancellationToken cancellationToken) =>
        await Invitations.FindAsync(session, query.Token, cancellationToken) is { } invitation
            ? new InvitationLookup(invitation.StateAt(clock.UtcNow), invitation.Email, invitation.Role)
            : new InvitationLookup(null);
}

/// <summary>Joins the team through an invitation link: the account gets the invited address, confirmed by the link itself.</summary>
[Anyone]
public sealed record AcceptInvitationCommand(string? Token, string? Password) : ICommand<AcceptInvitationResult>;

public sealed record AcceptInvitationResult(InvitationState? State, TeamMember? Member = null)
{
    public bool Joined => Member is not null;
}

public sealed class AcceptInvitationValidator : AbstractValidator<AcceptInvitationCommand>
{
    public AcceptInvitationValidator() =>
        RuleFor(c => c.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Problem(password) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
}

public sealed class AcceptInvitationHandler(IDocumentSession session, NewMembers members, IClock clock, ActorContext actors, ITenantContext tenant)
    : ICommandHandler<AcceptInvitationCommand, AcceptInvitationResult>
{
    public async ValueTask<AcceptInvitationResult> Handle(AcceptInvitationCommand command, CancellationToken cancellationToken)
    {
        var invitation = await Invitations.FindAsync(session, command.Token, cancellationToken);
        var now = clock.UtcNow;
        if (invitation is null || invitation.StateAt(now) != InvitationState.Open)
        {
            return new AcceptInvitationResult(invitation?.StateAt(now));
        }

        if (await session.Query<TeamMember>().AnyAsync(m => m.NormalizedEmail == invitation.NormalizedEmail, cancellationToken))
        {
            // Someone joined with this address meanwhile (another invitation): this one is spent.
            return new AcceptInvitationResult(InvitationState.Accepted);
        }

        var member = members.Create(invitation.Email, command.Password!, invitation.Role, "en", emailConfirmed: true);
        session.Insert(member);
        session.Update(invitation with { AcceptedAt = now });
        // Joining signs the new member in: as them, so the audit log shows who and from where.
        actors.Set(Actor.Member(tenant.RequiredTenant.Id, member.Id, member.Role, actors.Current.ClientAddress));
        session.Events.StartStream(member.Id, new MemberJoined(member.Id, member.Role, invitation.Id, now), new MemberSignedIn(member.Id, false, now));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception))
        {
            // Two tabs accepted one invitation at once: the first made the account.
            return new AcceptInvitationResult(InvitationState.Accepted);
        }

        return new AcceptInvitationResult(InvitationState.Open, member);
    }
}

internal static class Invitations
{
    public static async Task<Invitation?> FindAsync(IQuerySession session, string? token, CancellationToken cancellationToken)
    {
        if (!InvitationTokens.LooksLikeToken(token))
        {
            return null;
        }

        var hash = InvitationTokens.Hash(token!);
        return await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
    }
}
