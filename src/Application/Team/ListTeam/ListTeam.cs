using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Team.ListTeam;

[RequiresRole(TeamRole.Owner)]
public sealed record ListTeamQuery : IQuery<TeamView>;

public sealed record TeamMemberView(Guid Id, string Email, TeamRole Role, bool EmailConfirmed, DateTimeOffset JoinedAt);

public sealed record InvitationView(Guid Id, string Email, TeamRole Role, DateTimeOffset ExpiresAt);

public sealed record TeamView(IReadOnlyList<TeamMemberView> Members, IReadOnlyList<InvitationView> OpenInvitations)
{
    public int OwnerCount => Members.Count(m => m.Role == TeamRole.Owner);
}

public sealed class ListTeamHandler(IQuerySession session, IClock clock) : IQueryHandler<ListTeamQuery, TeamView>
{
    public async ValueTask<TeamView> Handle(ListTeamQuery query, CancellationToken cancellationToken)
    {
        var members = await session.Query<TeamMember>().OrderBy(m => m.JoinedAt).ToListAsync(cancellationToken);
        var now = clock.UtcNow;
        var invitations = await session.Query<Invitation>()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.InvitedAt)
            .ToListAsync(cancellationToken);
        return new TeamView(
            members.Select(m => new TeamMemberView(m.Id, m.Email, m.Role, m.EmailConfirmed, m.JoinedAt)).ToList(),
            invitations.Select(i => new InvitationView(i.Id, i.Email, i.Role, i.ExpiresAt)).ToList());
    }
}
