using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using Marten;

namespace CustomerInfo.Application.Accounts;

/// <summary>What a link's token came to on this store's host: its check, and the member it is for.</summary>
public sealed record TokenUse(AccountTokenCheck Check, AccountToken? Token, TeamMember? Member);

/// <summary>Reads a link's token against the host's tenant and the member's current state.</summary>
public sealed class TokenLinks(AccountTokens tokens, ITenantContext tenant, IClock clock)
{
    public async Task<TokenUse> ReadAsync(IQuerySession session, string? value, AccountTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var token = tokens.Read(value);
        var member = token is null ? null : await session.LoadAsync<TeamMember>(token.MemberId, cancellationToken);
        var check = AccountTokenRules.Check(token, purpose, tenant.RequiredTenant.Id, member, clock.UtcNow);
        if (check == AccountTokenCheck.Valid && await session.LoadAsync<SpentToken>(token!.Nonce, cancellationToken) is not null)
        {
            check = AccountTokenCheck.Used;
        }

        return new TokenUse(check, token, member);
    }

    /// <summary>Marks the token used in <paramref name="session"/>: a second request with it fails at the insert.</summary>
    public static void Spend(IDocumentSession session, AccountToken token) => session.Insert(new SpentToken(token.Nonce, token.ExpiresAt));
}
