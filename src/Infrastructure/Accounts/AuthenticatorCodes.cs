using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Infrastructure.Accounts;

/// <summary>
/// Identity's authenticator token provider, with the one thing its own lacks: a code is good once.
/// The step it matched is kept on the member (<see cref="TeamMember.LastAuthenticatorStep"/>), and
/// a code of that step or an older one is refused; the caller saves the member (ADR 25).
/// </summary>
internal sealed class AuthenticatorCodes(IClock clock) : IUserTwoFactorTokenProvider<TeamMember>
{
    public Task<string> GenerateAsync(string purpose, UserManager<TeamMember> manager, TeamMember user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TeamMember> manager, TeamMember user)
    {
        var key = Base32.Decode(await manager.GetAuthenticatorKeyAsync(user));
        if (key is null || Totp.Match(key, token, clock.UtcNow, user.LastAuthenticatorStep) is not { } step)
        {
            return false;
        }

        user.LastAuthenticatorStep = step;
        return true;
    }

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TeamMember> manager, TeamMember user) =>
        await manager.GetAuthenticatorKeyAsync(user) is { Length: > 0 };
}
