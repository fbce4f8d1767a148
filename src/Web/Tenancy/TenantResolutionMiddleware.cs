using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Tenancy;

namespace CustomerInfo.Web.Tenancy;

/// <summary>
/// Sets the request's tenant from its host, before routing. A host that names no store is answered
/// here by the "not found" page (404); a store whose kiosk is closed (<see cref="Tenant.IsKioskOpenAt"/>)
/// by the "unavailable" page (403), except under <see cref="AdminPath"/>: the retailer reaches their
/// admin before confirming their email, and billing while suspended.
/// </summary>
public sealed partial class TenantResolutionMiddleware(RequestDelegate next, ITenantStrategy strategy, ITenantStore tenants, IClock clock, ILogger<TenantResolutionMiddleware> logger)
{
    public const string NotFoundPath = "/status/store-not-found";
    public const string UnavailablePath = "/status/store-unavailable";

    /// <summary>The retailer's admin on a store host: open whatever the kiosk's state.</summary>
    public const string AdminPath = "/admin";

    public async Task InvokeAsync(HttpContext context, TenantContext tenantContext)
    {
        var request = IsStaticAsset(context.Request) ? TenantRequest.Platform : strategy.Resolve(context);
        switch (request.Kind)
        {
            case TenantRequestKind.Platform:
                break;
            case TenantRequestKind.Store:
                var tenant = await tenants.FindByIdentifierAsync(request.Identifier!, context.RequestAborted);
                if (tenant is null)
                {
                    Show(context, NotFoundPath);
                }
                else if (!tenant.IsKioskOpenAt(clock.UtcNow) && !context.Request.Path.StartsWithSegments(AdminPath, StringComparison.OrdinalIgnoreCase))
                {
                    LogClosedStore(tenant.Identifier, tenant.Status);
                    context.Features.Set(new ClosedStoreFeature(tenant));
                    Show(context, UnavailablePath);
                }
                else
                {
                    tenantContext.Set(tenant);
                }

                break;
            default:
                Show(context, NotFoundPath);
                break;
        }

        await next(context);
    }

    /// <summary>
    /// Stylesheets and scripts are the same for every host and carry no store data: they are served
    /// even where the host names no open store, so the "not found" and "unavailable" pages have their styles.
    /// </summary>
    private static bool IsStaticAsset(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path.StartsWithSegments("/css", StringComparison.Ordinal) || request.Path.StartsWithSegments("/js", StringComparison.Ordinal));

    /// <summary>Answers with a page of ours instead of what was asked; a POST is not processed. Only the language asked for is kept.</summary>
    private static void Show(HttpContext context, string path)
    {
        var language = context.Request.Query["lang"].FirstOrDefault();
        context.Request.Path = path;
        context.Request.QueryString = language is null ? QueryString.Empty : QueryString.Create("lang", language);
        context.Request.Method = HttpMethods.Get;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Identifier} is {Status}: showing the unavailable page")]
    private partial void LogClosedStore(string identifier, TenantStatus status);
}
