using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using Marten;

namespace CustomerInfo.Application.Team;

/// <summary>What a change to the team came to: done, or refused with a reason to show.</summary>
public sealed record TeamChangeResult(bool Done, string? Refusal = null)
{
    public static readonly TeamChangeResult Succeeded = new(true);

    public static readonly TeamChangeResult NotFound = new(false, "That person is not in the team any more.");

    public static readonly TeamChangeResult Conflict = new(false, "Someone changed the team at the same moment. Look at the team again and retry.");
}

/// <summary>
/// Changes of roles and membership run in a serializable transaction: two Owners demoting each
/// other at the same moment cannot both succeed and leave the team without an Owner.
/// </summary>
public sealed class TeamChanges(IDocumentStore store, ITenantContext tenant)
{
    public async Task<TeamChangeResult> ChangeAsync(Guid memberId, Func<IDocumentSession, TeamMember, int, TeamChangeResult> change, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await store.LightweightSerializableSessionAsync(tenant.RequiredTenant.Id.ToString(), cancellationToken);
            var member = await session.LoadAsync<TeamMember>(memberId, cancellationToken);
            if (member is null)
            {
                return TeamChangeResult.NotFound;
            }

            var owners = await session.Query<TeamMember>().CountAsync(m => m.Role == TeamRole.Owner, cancellationToken);
            var result = change(session, member, owners);
            if (result.Done)
            {
                await session.SaveChangesAsync(cancellationToken);
            }

            return result;
        }
        catch (Exception exception) when (PostgresErrors.IsSerializationFailure(exception))
        {
            return TeamChangeResult.Conflict;
        }
    }
}
