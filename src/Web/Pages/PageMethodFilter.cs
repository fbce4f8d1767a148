using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;

namespace CustomerInfo.Web.Pages;

/// <summary>
/// A page answers only what it has a handler for. Razor Pages renders a page even when no handler
/// matches (a PUT, or <c>?handler=nope</c>), which shows a page that never ran its handler; here such
/// a request gets 405 with an Allow header (a method the page does not take) or 404 (a handler it
/// does not have). Before antiforgery and the body limit, so the refusal does not depend on the body.
/// </summary>
public sealed class PageMethodFilter : IAuthorizationFilter, IOrderedFilter
{
    private static readonly string[] MethodOrder = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    private static readonly ConditionalWeakTable<CompiledPageActionDescriptor, IReadOnlyList<HandlerMethodDescriptor>> PageHandlers = new();

    public int Order => -2000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        if (context.ActionDescriptor is not CompiledPageActionDescriptor page
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || http.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return;
        }

        var method = http.Request.Method;
        var handler = HandlerName(context);
        if (Takes(page, method, handler) || (HttpMethods.IsHead(method) && Takes(page, HttpMethods.Get, handler)))
        {
            return;
        }

        var allowed = Allowed(page);
        if (allowed.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            context.Result = new NotFoundResult();
            return;
        }

        http.Response.Headers.Allow = string.Join(", ", allowed);
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }

    /// <summary>The page's handler for this method and name; a page without handlers renders on GET.</summary>
    private static bool Takes(CompiledPageActionDescriptor page, string method, string? handler)
    {
        var handlers = Handlers(page);
        return handlers.Count == 0
            ? HttpMethods.IsGet(method) && handler is null
            : handlers.Any(h => string.Equals(h.HttpMethod, method, StringComparison.OrdinalIgnoreCase)
                && string.Equals(h.Name, handler, StringComparison.OrdinalIgnoreCase));
    }

    private static List<string> Allowed(CompiledPageActionDescriptor page)
    {
        var methods = Handlers(page).Select(h => h.HttpMethod.ToUpperInvariant()).Append(HttpMethods.Get).ToHashSet(StringComparer.OrdinalIgnoreCase);
        methods.Add(HttpMethods.Head);
        return [.. methods.OrderBy(m => Array.IndexOf(MethodOrder, m) is var i and >= 0 ? i : MethodOrder.Length).ThenBy(m => m, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The page's own handlers. Razor Pages also lists a page model's overrides of its filter methods
    /// (OnPageHandlerExecuting reads as method "Page"), which no request can reach. Found once per
    /// page (reflection, and every page request asks), then kept with its descriptor.
    /// </summary>
    private static IReadOnlyList<HandlerMethodDescriptor> Handlers(CompiledPageActionDescriptor page) =>
        PageHandlers.GetValue(page, p => p.HandlerMethods.Where(h => h.MethodInfo.GetBaseDefinition().DeclaringType != typeof(PageModel)).ToList());

    /// <summary>As Razor Pages picks it: the route's <c>handler</c> value, else the query's.</summary>
    private static string? HandlerName(AuthorizationFilterContext context)
    {
        var name = Convert.ToString(context.RouteData.Values["handler"], System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(name))
        {
            return name;
        }

        return context.HttpContext.Request.Query.TryGetValue("handler", out var values) && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
    }
}
