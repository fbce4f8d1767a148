using System.Globalization;
using CustomerInfo.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerInfo.Web.Security;

/// <summary>
/// Between the password and the code of a two-factor sign-in: who got the password right, in a
/// cookie protected (encrypted and signed) with the Data Protection keys, for five minutes, on
/// this host's admin only. It is not a session: no admin page accepts it. The code step spends its
/// attempt id, so it is good for one sign-in; a new password or security stamp ends it too (ADR 25).
/// </summary>
public sealed class TwoFactorPending(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = ".CustomerInfo.TwoFactor";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("CustomerInfo.TwoFactorPending").ToTimeLimitedDataProtector();

    public sealed record Attempt(Guid TenantId, Guid MemberId, string SecurityStamp, Guid Id);

    public void Start(HttpContext context, Guid tenantId, TeamMember member)
    {
        var payload = string.Join('|', tenantId, member.Id, member.SecurityStamp, Guid.NewGuid());
        var expires = time.GetUtcNow() + Lifetime;
        context.Response.Cookies.Append(CookieName, Protector.Protect(payload, expires), new CookieOptions
        {
            Path = MemberAuthentication.AdminPath,
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Expires = expires,
            IsEssential = true,
        });
    }

    /// <summary>The attempt this request carries for <paramref name="tenantId"/>'s host; null when none, expired or forged.</summary>
    public Attempt? Read(HttpContext context, Guid tenantId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return null;
        }

        string payload;
        try
        {
            payload = Protector.Unprotect(value, out _);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        return parts.Length == 4
            && Guid.TryParse(parts[0], CultureInfo.InvariantCulture, out var tenant) && tenant == tenantId
            && Guid.TryParse(parts[1], CultureInfo.InvariantCulture, out var member)
            && Guid.TryParse(parts[3], CultureInfo.InvariantCulture, out var id)
                ? new Attempt(tenant, member, parts[2], id)
                : null;
    }

    public static void End(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = MemberAuthentication.AdminPath, Secure = context.Request.IsHttps, HttpOnly = true });
}
