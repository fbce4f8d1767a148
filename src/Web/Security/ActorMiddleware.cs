using System.Security.Claims;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Accounts;

namespace CustomerInfo.Web.Security;

/// <summary>
/// After authorization, so the user is the one the endpoint's policy authenticated: tells the
/// mediator who sends this request's commands, and from where.
/// </summary>
public sealed class ActorMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, ActorContext actors)
    {
        actors.Set(ActorOf(context));
        return next(context);
    }

    public static Actor ActorOf(HttpContext context)
    {
        var user = context.User;
        var address = context.Connection.RemoteIpAddress?.ToString();
        if (user.Identity?.IsAuthenticated != true)
        {
            // The address goes nowhere while the request stays anonymous (no event header, ADR 24);
            // a sign-in that succeeds takes it on to the member it becomes.
            return Actor.AnonymousFrom(address);
        }

        if (user.Identity.AuthenticationType == OwnerAuthentication.Scheme && user.IsInRole(OwnerAuthentication.OwnerRole))
        {
            return Actor.PlatformOwner(address);
        }

        if (user.Identity.AuthenticationType == MemberAuthentication.Scheme
            && Guid.TryParse(user.FindFirstValue(MartenTicketStore.TenantClaim), out var tenant)
            && Guid.TryParse(user.FindFirstValue(MartenTicketStore.MemberClaim), out var member)
            && TeamRoles.TryParse(user.FindFirstValue(MemberAuthentication.RoleClaim), out var role))
        {
            return Actor.Member(tenant, member, role, address);
        }

        return Actor.Anonymous;
    }
}
