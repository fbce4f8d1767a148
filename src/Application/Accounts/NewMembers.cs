using CustomerInfo.Application.Common;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts;

/// <summary>
/// Makes the account of someone joining a team (the retailer who signs up, an invited colleague,
/// the demo store's Owner). The caller has checked the password against <see cref="PasswordPolicy"/>
/// and stores the account in its own transaction, beside whatever else joining writes.
/// </summary>
public sealed class NewMembers(IPasswordHasher<TeamMember> hasher, ILookupNormalizer normalizer, IClock clock)
{
    public TeamMember Create(string email, string password, TeamRole role, string language, bool emailConfirmed = false)
    {
        var address = email.Trim();
        var member = new TeamMember
        {
            Id = Guid.NewGuid(),
            Email = address,
            NormalizedEmail = Normalize(address),
            EmailConfirmed = emailConfirmed,
            SecurityStamp = NewStamp(),
            Role = role,
            Language = language,
            JoinedAt = clock.UtcNow,
        };
        member.PasswordHash = hasher.HashPassword(member, password);
        return member;
    }

    public string Normalize(string email) => normalizer.NormalizeEmail(email.Trim()) ?? "";

    /// <summary>A new security stamp ends every session and every reset link made before it.</summary>
    public static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
}
