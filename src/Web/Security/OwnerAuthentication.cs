using System.Security.Claims;
using CustomerInfo.Application.Owner;
using CustomerInfo.Infrastructure.Accounts;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CustomerInfo.Web.Security;

public static class OwnerAuthentication
{
    public const string Scheme = "Owner";
    public const string OwnerRole = "platform-owner";
    public const string OwnerPolicy = "PlatformOwner";
    public const string SignInPath = "/owner/signin";

    public static ClaimsPrincipal OwnerPrincipal(string email) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Role, OwnerRole)],
        Scheme));

    public static IServiceCollection AddOwnerAuthentication(this IServiceCollection services)
    {
        // No default scheme: each policy names the one it accepts, so an owner's session means nothing
        // in a store's admin and a member's nothing at /owner or /hangfire.
        var authentication = services.AddAuthentication();
        authentication.AddCookie(Scheme, options =>
        {
            // Host-only (no Domain), so a session on one host is never sent to another.
            options.Cookie.Name = ".CustomerInfo.Owner";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = SignInPath;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // Kept on the server, so signing out ends the session even for a copied cookie (ADR 12).
        services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<MartenTicketStore>((options, sessions) => options.SessionStore = sessions);
        services.AddAuthorizationBuilder().AddPolicy(OwnerPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(OwnerRole));
        authentication.AddMemberAuthentication();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<OwnerOptions>, OwnerTotpValidation>();
        services.AddOptions<OwnerOptions>().ValidateOnStart();
        return services;
    }
}

/// <summary>
/// The platform owner's second factor, checked at start-up: a key that is not base32 never starts,
/// and Production does not start without one unless Owner:AllowSignInWithoutTotp says so (ADR 25).
/// </summary>
public sealed class OwnerTotpValidation(IHostEnvironment environment) : Microsoft.Extensions.Options.IValidateOptions<OwnerOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, OwnerOptions options) =>
        OwnerOptions.Problem(options, environment.IsProduction()) is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}

/// <summary>
/// The dashboard checks the owner role itself as well, so it stays closed even if the endpoint's
/// authorization policy were ever dropped.
/// </summary>
public sealed class OwnerDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(OwnerAuthentication.OwnerRole);
}
