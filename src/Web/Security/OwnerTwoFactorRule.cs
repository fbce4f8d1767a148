using System.Security.Claims;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;

namespace CustomerInfo.Web.Security;

/// <summary>
/// The team's rule "Owners must use two-factor sign-in", on every admin request (after authorization,
/// so the member's session is read and fresh): an Owner without a second factor reaches only the
/// account security page, to set one up, and signing out. Not the sign-in page's job alone, so no
/// session made before the rule was turned on gets past it.
/// </summary>
public sealed class OwnerTwoFactorRule(RequestDelegate next)
{
    public const string SetUpPath = "/admin/security";

    public Task InvokeAsync(HttpContext context, ITenantContext tenants)
    {
        if (MustSetUp(context.User, tenants.Tenant?.OwnersMustUseTwoFactor == true)
            && context.Request.Path.StartsWithSegments(MemberAuthentication.AdminPath, StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments(SetUpPath, StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments("/admin/signout", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(SetUpPath + "?required=true");
            return Task.CompletedTask;
        }

        return next(context);
    }

    public static bool MustSetUp(ClaimsPrincipal user, bool ownersMustUseTwoFactor) =>
        ownersMustUseTwoFactor
        && user.Identity is { IsAuthenticated: true, AuthenticationType: MemberAuthentication.Scheme }
        && user.FindFirstValue(MemberAuthentication.RoleClaim) == nameof(TeamRole.Owner)
        && user.FindFirstValue(MemberAuthentication.TwoFactorClaim) != "true";
}
