using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Team.ListTeams;

/// <summary>The owner console's view of each store's team: its Owners, how many members, open invitations.</summary>
[PlatformOwnerOnly]
public sealed record ListTeamsQuery(IReadOnlyList<Guid> TenantIds) : IQuery<IReadOnlyDictionary<Guid, TeamSummary>>;

public sealed record TeamSummary(IReadOnlyList<string> OwnerEmails, bool OwnerConfirmed, int Members, int OpenInvitations);

/// <summary>One query per store, in that store's own partition: the console lists a handful of stores.</summary>
public sealed class ListTeamsHandler(IDocumentStore store, IClock clock) : IQueryHandler<ListTeamsQuery, IReadOnlyDictionary<Guid, TeamSummary>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, TeamSummary>> Handle(ListTeamsQuery query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var teams = new Dictionary<Guid, TeamSummary>();
        foreach (var tenantId in query.TenantIds.Distinct())
        {
            await using var session = store.QuerySession(tenantId.ToString());
            var members = await session.Query<TeamMember>().OrderBy(m => m.JoinedAt).ToListAsync(cancellationToken);
            var invitations = await session.Query<Invitation>().CountAsync(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, cancellationToken);
            var owners = members.Where(m => m.Role == TeamRole.Owner).ToList();
            teams[tenantId] = new TeamSummary(owners.Select(o => o.Email).ToList(), owners.Any(o => o.EmailConfirmed), members.Count, invitations);
        }

        return teams;
    }
}
