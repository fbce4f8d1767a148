using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common;
using CustomerInfo.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Infrastructure.Accounts;

/// <summary>
/// ASP.NET Core Identity's user store over Marten (ADR 12). It works on the request's session, which
/// is opened for the current tenant: a store host's Identity sees only its own team.
/// The user name is the email address. The authenticator key is kept protected with the Data
/// Protection keys and recovery codes as hashes only (ADR 25): Identity's own stores keep both as written.
/// </summary>
internal sealed class MartenTeamMemberStore(IDocumentSession session, IDataProtectionProvider protection) :
    IUserPasswordStore<TeamMember>,
    IUserEmailStore<TeamMember>,
    IUserSecurityStampStore<TeamMember>,
    IUserLockoutStore<TeamMember>,
    IUserAuthenticatorKeyStore<TeamMember>,
    IUserTwoFactorStore<TeamMember>,
    IUserTwoFactorRecoveryCodeStore<TeamMember>
{
    public const string AuthenticatorKeyPurpose = "CustomerInfo.AuthenticatorKey";

    private IDataProtector KeyProtector => protection.CreateProtector(AuthenticatorKeyPurpose);

    public async Task<IdentityResult> CreateAsync(TeamMember user, CancellationToken cancellationToken)
    {
        session.Insert(user);
        return await SaveAsync(cancellationToken);
    }

    public async Task<IdentityResult> UpdateAsync(TeamMember user, CancellationToken cancellationToken)
    {
        session.Update(user);
        return await SaveAsync(cancellationToken);
    }

    public async Task<IdentityResult> DeleteAsync(TeamMember user, CancellationToken cancellationToken)
    {
        session.Delete(user);
        return await SaveAsync(cancellationToken);
    }

    public async Task<TeamMember?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? await session.LoadAsync<TeamMember>(id, cancellationToken) : null;

    public Task<TeamMember?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindByEmailAsync(normalizedUserName, cancellationToken);

    public async Task<TeamMember?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        await session.Query<TeamMember>().FirstOrDefaultAsync(m => m.NormalizedEmail == normalizedEmail, cancellationToken);

    public Task<string> GetUserIdAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());

    public Task<string?> GetUserNameAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(TeamMember user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(TeamMember user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(TeamMember user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(TeamMember user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<bool> GetEmailConfirmedAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(TeamMember user, bool confirmed, CancellationToken cancellationToken)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(TeamMember user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(TeamMember user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(TeamMember user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(TeamMember user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(TeamMember user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task SetAuthenticatorKeyAsync(TeamMember user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = KeyProtector.Protect(key);
        user.LastAuthenticatorStep = null;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(TeamMember user, CancellationToken cancellationToken) =>
        Task.FromResult(user.AuthenticatorKey is { } protectedKey ? KeyProtector.Unprotect(protectedKey) : null);

    public Task SetTwoFactorEnabledAsync(TeamMember user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task ReplaceCodesAsync(TeamMember user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        user.RecoveryCodeHashes = [.. recoveryCodes.Select(RecoveryCodes.Hash)];
        return Task.CompletedTask;
    }

    public Task<bool> RedeemCodeAsync(TeamMember user, string code, CancellationToken cancellationToken)
    {
        var index = RecoveryCodes.IndexOf(user.RecoveryCodeHashes, code);
        if (index < 0)
        {
            return Task.FromResult(false);
        }

        user.RecoveryCodeHashes = [.. user.RecoveryCodeHashes.Where((_, i) => i != index)];
        return Task.FromResult(true);
    }

    public Task<int> CountCodesAsync(TeamMember user, CancellationToken cancellationToken) => Task.FromResult(user.RecoveryCodeHashes.Count);

    public void Dispose()
    {
    }

    private async Task<IdentityResult> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return IdentityResult.Success;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(""));
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception))
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(""));
        }
    }
}
