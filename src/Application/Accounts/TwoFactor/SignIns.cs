using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;

namespace CustomerInfo.Application.Accounts.TwoFactor;

/// <summary>What every way into a store's admin records, so the audit log sees each sign-in.</summary>
public static class SignIns
{
    /// <summary>
    /// The request was anonymous until now: from here on it acts as the member (with the client's
    /// address, which the web pipeline put on the anonymous actor), so the event headers say who
    /// signed in and from where. Then appends <see cref="MemberSignedIn"/>; the caller saves.
    /// </summary>
    public static void Record(IDocumentSession session, ActorContext actors, Guid tenantId, TeamMember member, bool withSecondFactor, DateTimeOffset at)
    {
        actors.Set(Actor.Member(tenantId, member.Id, member.Role, actors.Current.ClientAddress));
        session.Events.Append(member.Id, new MemberSignedIn(member.Id, withSecondFactor, at));
    }

    /// <summary>
    /// The id under which a used authenticator step is kept (as a <see cref="SpentToken"/>), so two
    /// requests with the same code at the same moment cannot both pass: the second insert fails.
    /// </summary>
    public static Guid StepNonce(string account, long step) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"totp:{account}:{step}")).AsSpan(0, 16));

    /// <summary>A used step is kept until no window could accept it again.</summary>
    public static SpentToken SpentStep(string account, long step) =>
        new(StepNonce(account, step), DateTimeOffset.FromUnixTimeSeconds((step + Totp.Window + 2) * (long)Totp.Step.TotalSeconds));
}
