using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Application.Common;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace CustomerInfo.Application.Accounts;

public enum AccountTokenPurpose
{
    ConfirmEmail = 1,
    ResetPassword = 2,

    /// <summary>Carries a new retailer from the sign-up page at the apex to their own admin host.</summary>
    SignInHandoff = 3,
}

/// <summary>What a link's token says, once its signature is checked.</summary>
public sealed record AccountToken(Guid Nonce, AccountTokenPurpose Purpose, Guid TenantId, Guid MemberId, string Binding, DateTimeOffset ExpiresAt);

public enum AccountTokenCheck
{
    Valid,

    /// <summary>Signed by us, for this member, but too old: offer a new link.</summary>
    Expired,

    /// <summary>Already used, or made for credentials or an address that have since changed.</summary>
    Used,

    /// <summary>Forged, mangled, or made for something else.</summary>
    Invalid,
}

/// <summary>The rules a token must pass, apart from how it is signed: pure, so each is unit-tested.</summary>
public static class AccountTokenRules
{
    public static TimeSpan LifetimeOf(AccountTokenPurpose purpose) => purpose switch
    {
        AccountTokenPurpose.ConfirmEmail => TimeSpan.FromDays(3),
        AccountTokenPurpose.ResetPassword => TimeSpan.FromHours(1),
        AccountTokenPurpose.SignInHandoff => TimeSpan.FromMinutes(2),
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    /// <summary>
    /// What ties a token to the member's state: a confirmation link dies when the address changes;
    /// a reset or hand-off link dies when the password (so the security stamp) changes.
    /// </summary>
    public static string BindingOf(AccountTokenPurpose purpose, TeamMember member) =>
        purpose == AccountTokenPurpose.ConfirmEmail ? member.NormalizedEmail : member.SecurityStamp;

    public static AccountTokenCheck Check(AccountToken? token, AccountTokenPurpose purpose, Guid tenantId, TeamMember? member, DateTimeOffset now)
    {
        if (token is null || token.Purpose != purpose || token.TenantId != tenantId || member is null || member.Id != token.MemberId)
        {
            return AccountTokenCheck.Invalid;
        }

        if (purpose == AccountTokenPurpose.ConfirmEmail && member.EmailConfirmed)
        {
            return AccountTokenCheck.Used;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token.Binding), Encoding.UTF8.GetBytes(BindingOf(purpose, member))))
        {
            return AccountTokenCheck.Used;
        }

        return now >= token.ExpiresAt ? AccountTokenCheck.Expired : AccountTokenCheck.Valid;
    }
}

/// <summary>
/// Signs and reads the tokens in account links with the shared Data Protection key ring, so any web
/// pod reads a link another made. The expiry is inside the signed payload and is compared with our
/// clock, so tests can move time. Single use is enforced where a token is spent (<see cref="SpentToken"/>).
/// </summary>
public sealed class AccountTokens(IDataProtectionProvider protection, IClock clock)
{
    private const byte Version = 1;
    private readonly IDataProtector protector = protection.CreateProtector("CustomerInfo.AccountTokens.v1");

    public string Issue(AccountTokenPurpose purpose, Guid tenantId, TeamMember member)
    {
        var token = new AccountToken(Guid.NewGuid(), purpose, tenantId, member.Id, AccountTokenRules.BindingOf(purpose, member), clock.UtcNow + AccountTokenRules.LifetimeOf(purpose));
        return WebEncoders.Base64UrlEncode(protector.Protect(Write(token)));
    }

    /// <summary>The token's content, or null when it was not signed by us or is not a token at all.</summary>
    public AccountToken? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return null;
        }

        try
        {
            return Parse(protector.Unprotect(WebEncoders.Base64UrlDecode(value)));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException or EndOfStreamException)
        {
            return null;
        }
    }

    private static byte[] Write(AccountToken token)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(token.Nonce.ToByteArray());
            writer.Write((byte)token.Purpose);
            writer.Write(token.TenantId.ToByteArray());
            writer.Write(token.MemberId.ToByteArray());
            writer.Write(token.ExpiresAt.ToUnixTimeSeconds());
            writer.Write(token.Binding);
        }

        return buffer.ToArray();
    }

    private static AccountToken? Parse(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (reader.ReadByte() != Version)
        {
            return null;
        }

        var nonce = new Guid(reader.ReadBytes(16));
        var purpose = (AccountTokenPurpose)reader.ReadByte();
        var tenantId = new Guid(reader.ReadBytes(16));
        var memberId = new Guid(reader.ReadBytes(16));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(reader.ReadInt64());
        var binding = reader.ReadString();
        return Enum.IsDefined(purpose) ? new AccountToken(nonce, purpose, tenantId, memberId, binding, expiresAt) : null;
    }
}

/// <summary>
/// A token that has been used. Inserting it fails when it exists, so two requests racing with one
/// link cannot both succeed. Kept until the token would have expired anyway.
/// </summary>
public sealed record SpentToken(Guid Id, DateTimeOffset ExpiresAt);
