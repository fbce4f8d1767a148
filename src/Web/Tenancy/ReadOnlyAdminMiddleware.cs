using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Web.Tenancy;

/// <summary>
/// A canceled tenant's admin is read-only (ADR 0023): every POST under <c>/admin</c> is answered by
/// the "read-only" page (403) instead, in one place for every page, except signing in and out (and
/// the password steps that lead there), billing (the Owner may subscribe again) and exports.
/// After <see cref="TenantResolutionMiddleware"/>, which has set the tenant.
/// </summary>
public sealed partial class ReadOnlyAdminMiddleware(RequestDelegate next, ILogger<ReadOnlyAdminMiddleware> logger)
{
    public const string ReadOnlyPath = "/admin/read-only";

    /// <summary>Set on a request whose change was refused, so the page answers 403.</summary>
    public const string RefusedItem = "CustomerInfo.ReadOnlyRefused";

    private static readonly string[] StillOpen =
        ["/admin/signin", "/admin/signout", "/admin/forgot-password", "/admin/reset-password", "/admin/continue", "/admin/confirm", "/admin/billing"];

    public Task InvokeAsync(HttpContext context, ITenantContext tenants)
    {
        if (tenants.Tenant is { Status: TenantStatus.Canceled } tenant && IsRefused(context.Request))
        {
            LogRefused(tenant.Identifier);
            context.Items[RefusedItem] = true;
            // Only the language asked for is kept, so the refusal speaks it (as the "unavailable" page does).
            var language = context.Request.Query["lang"].FirstOrDefault();
            context.Request.Path = ReadOnlyPath;
            context.Request.QueryString = language is null ? QueryString.Empty : QueryString.Create("lang", language);
            context.Request.Method = HttpMethods.Get;
        }

        return next(context);
    }

    private static bool IsRefused(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
        && request.Path.StartsWithSegments(TenantResolutionMiddleware.AdminPath, StringComparison.OrdinalIgnoreCase)
        && !StillOpen.Any(path => request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
        && !string.Equals(request.Query["handler"].FirstOrDefault(), "export", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Identifier} is canceled: a change in its read-only admin was refused")]
    private partial void LogRefused(string identifier);
}
