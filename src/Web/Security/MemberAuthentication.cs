using System.Security.Claims;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Accounts;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace CustomerInfo.Web.Security;

/// <summary>
/// Sign-in for a retailer's team, on the store's own host under <c>/admin</c>. The cookie is
/// host-only and holds only the key of a session kept in PostgreSQL (ADR 12).
/// </summary>
public static class MemberAuthentication
{
    public const string Scheme = "Member";
    public const string CookieName = ".CustomerInfo.Member";
    public const string AdminPath = "/admin";
    public const string SignInPath = "/admin/signin";
    public const string RoleClaim = "customerinfo:role";
    public const string StampClaim = "customerinfo:stamp";
    public const string LanguageClaim = "customerinfo:lang";

    /// <summary>"true" when the member uses two-factor sign-in: the team's rule for Owners reads it on every request.</summary>
    public const string TwoFactorClaim = "customerinfo:2fa";

    public static string PolicyFor(TeamRole role) => $"Member:{role}";

    public static ClaimsPrincipal Principal(Guid tenantId, TeamMember member) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, member.Id.ToString()),
            new Claim(ClaimTypes.Name, member.Email),
            new Claim(MartenTicketStore.TenantClaim, tenantId.ToString()),
            new Claim(MartenTicketStore.MemberClaim, member.Id.ToString()),
            new Claim(RoleClaim, member.Role.ToString()),
            new Claim(StampClaim, member.SecurityStamp),
            new Claim(LanguageClaim, member.Language),
            new Claim(TwoFactorClaim, member.TwoFactorEnabled ? "true" : "false"),
        ],
        Scheme));

    public static AuthenticationBuilder AddMemberAuthentication(this AuthenticationBuilder authentication)
    {
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            // Host-only (no Domain) and only for the admin: the kiosk's requests never carry it.
            options.Cookie.Path = AdminPath;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = SignInPath;
            options.LogoutPath = "/admin/signout";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            options.Events.OnValidatePrincipal = ValidateAsync;
        });
        authentication.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<MartenTicketStore>((options, sessions) => options.SessionStore = sessions);

        authentication.Services.AddSingleton<IAuthorizationHandler, TeamRoleHandler>();
        authentication.Services.AddSingleton<TwoFactorPending>();
        var policies = authentication.Services.AddAuthorizationBuilder();
        foreach (var role in TeamRoles.All)
        {
            policies.AddPolicy(PolicyFor(role), policy => policy
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new TeamRoleRequirement(role)));
        }

        return authentication;
    }

    /// <summary>
    /// On every request: the session must belong to this host's tenant (the Data Protection keys are
    /// shared, so a cookie copied to another store's host would otherwise decrypt there), and the
    /// member must still be in the team with the same credentials. The role is read afresh, so a
    /// change of role counts at once.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var tenant = context.HttpContext.RequestServices.GetRequiredService<ITenantContext>().Tenant;
        var principal = context.Principal!;
        if (tenant is null
            || principal.FindFirstValue(MartenTicketStore.TenantClaim) != tenant.Id.ToString()
            || !Guid.TryParse(principal.FindFirstValue(MartenTicketStore.MemberClaim), out var memberId))
        {
            context.RejectPrincipal();
            return;
        }

        var session = context.HttpContext.RequestServices.GetRequiredService<IQuerySession>();
        var member = await session.LoadAsync<TeamMember>(memberId, context.HttpContext.RequestAborted);
        if (member is null || member.SecurityStamp != principal.FindFirstValue(StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        if (principal.FindFirstValue(RoleClaim) != member.Role.ToString() || principal.FindFirstValue(LanguageClaim) != member.Language
            || principal.FindFirstValue(TwoFactorClaim) != (member.TwoFactorEnabled ? "true" : "false"))
        {
            context.ReplacePrincipal(Principal(tenant.Id, member));
        }
    }
}

public sealed record TeamRoleRequirement(TeamRole Role) : IAuthorizationRequirement;

/// <summary>Grants an admin page to a member of this host's tenant whose role is high enough.</summary>
public sealed class TeamRoleHandler : AuthorizationHandler<TeamRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TeamRoleRequirement requirement)
    {
        var http = context.Resource as HttpContext ?? (context.Resource as Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext)?.HttpContext;
        var tenant = http?.RequestServices.GetRequiredService<ITenantContext>().Tenant;
        var user = context.User;
        if (tenant is not null
            && user.FindFirstValue(MartenTicketStore.TenantClaim) == tenant.Id.ToString()
            && TeamRoles.TryParse(user.FindFirstValue(MemberAuthentication.RoleClaim), out var role)
            && role.Grants(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
