using System.Threading.RateLimiting;
using CustomerInfo.Application.Common.Tenancy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerInfo.Web.Abuse;

/// <summary>How many sign-ups (POSTs on a store host) are accepted per minute, per client address and per store.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>
    /// One address can be a whole shop's tablets behind one router, and an offline queue sends its
    /// backlog in bursts (it pauses on 429 and tries again later), so this is generous.
    /// </summary>
    public int PerClientPerMinute { get; set; } = 60;

    public int PerStorePerMinute { get; set; } = 600;

    /// <summary>Posts of sign-in, reset, invitation and sign-up forms per client address and minute.</summary>
    public int AccountFormsPerClientPerMinute { get; set; } = 10;
}

public static class AccountRateLimits
{
    public const string Policy = "account-forms";
}

public static class RateLimits
{
    /// <summary>
    /// Two fixed one-minute windows chained: per client address and per store. Only writes on a
    /// store host count: the form, the thank-you, static files and the status pages are never limited.
    /// The admin's writes (a Manager on the shop's network, the form builder saving its preview) are
    /// counted apart from the kiosk's, so they never use up the tablets' sign-ups.
    /// </summary>
    public static IServiceCollection AddSignUpRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            // Sign-in, password reset and invitation forms: guessing is slowed per client address here,
            // and per account by Identity's lockout and AccountThrottle.
            limiter.AddPolicy(AccountRateLimits.Policy, http => !HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetSlidingWindowLimiter($"account:{http.Request.Host.Host}:{http.Connection.RemoteIpAddress}", _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(options.AccountFormsPerClientPerMinute, 1),
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                }));
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, options.PerClientPerMinute, tenant => $"client:{http.Connection.RemoteIpAddress}")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, options.PerStorePerMinute, tenant => $"store:{tenant}")));
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, int permits, Func<Guid, string> key)
    {
        var tenant = http.RequestServices.GetRequiredService<ITenantContext>().Tenant;
        if (tenant is null || !HttpMethods.IsPost(http.Request.Method) || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return RateLimitPartition.GetNoLimiter("none");
        }

        var side = http.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) ? "admin:" : "kiosk:";
        return RateLimitPartition.GetFixedWindowLimiter(side + key(tenant.Id), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(permits, 1),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
