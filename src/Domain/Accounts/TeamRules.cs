namespace CustomerInfo.Domain.Accounts;

/// <summary>The rules of a team that hold whoever changes it.</summary>
public static class TeamRules
{
    public const string LastOwnerRefusal = "A team needs at least one Owner. Make someone else an Owner first.";

    /// <summary>
    /// Why a member's role may not change to <paramref name="newRole"/> (null: the member leaves the
    /// team), or null when it may. The last Owner can be neither demoted nor removed.
    /// </summary>
    public static string? RefuseChange(TeamRole currentRole, TeamRole? newRole, int ownerCount)
    {
        if (newRole is { } role && !Enum.IsDefined(role))
        {
            return "Choose Owner, Manager or Staff.";
        }

        var losesOwner = currentRole == TeamRole.Owner && newRole != TeamRole.Owner;
        return losesOwner && ownerCount <= 1 ? LastOwnerRefusal : null;
    }
}
