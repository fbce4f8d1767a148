namespace CustomerInfo.Domain.Accounts;

/// <summary>
/// A member's role in one retailer's team. Each role can do everything the one below it can:
/// Staff see sign-ups; Managers also export them and change the form, branding, stores and CRM;
/// Owners also run the team and billing.
/// </summary>
public enum TeamRole
{
    Staff = 1,
    Manager = 2,
    Owner = 3,
}

public static class TeamRoles
{
    public static readonly IReadOnlyList<TeamRole> All = [TeamRole.Staff, TeamRole.Manager, TeamRole.Owner];

    /// <summary>Whether a member with <paramref name="held"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Grants(this TeamRole held, TeamRole required) =>
        Enum.IsDefined(held) && Enum.IsDefined(required) && held >= required;

    /// <summary>Reads a role as a form or a claim spells it ("Staff", "manager"); numbers and lists ("Owner,Staff") are refused.</summary>
    public static bool TryParse(string? value, out TeamRole role)
    {
        role = default;
        var trimmed = value?.Trim();
        return !string.IsNullOrEmpty(trimmed)
            && trimmed.All(char.IsAsciiLetter)
            && Enum.TryParse(trimmed, ignoreCase: true, out role)
            && Enum.IsDefined(role);
    }
}
