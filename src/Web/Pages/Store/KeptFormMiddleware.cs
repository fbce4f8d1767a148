using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using Mediator;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>Marks the page whose empty form <see cref="KeptFormMiddleware"/> may serve from its kept copy.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ServesKeptFormAttribute : Attribute;

/// <summary>
/// The kiosk's empty form, served from its kept copy before MVC runs (ADR 32). Every middleware has
/// run by then (tenant, language, rate limits, sign-in), so the request is the one the page would
/// have seen; the form is asked for with the page's own query. Only a plain GET or HEAD of the form
/// page is served here, and only when its kiosk link takes sign-ups and a page is kept for its key:
/// anything else (a handler, a refused link, nothing kept yet) goes on to the page, which renders
/// and keeps it (<see cref="EmptyFormCache"/>).
/// </summary>
public sealed class KeptFormMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, ISender sender, ITenantContext tenant, EmptyFormCache kept)
    {
        var request = http.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || http.GetEndpoint()?.Metadata.GetMetadata<ServesKeptFormAttribute>() is null
            || request.Query.ContainsKey("handler")
            || tenant.Tenant is not { } store)
        {
            await next(http);
            return;
        }

        // As the page binds it: the first value of ?lang=.
        var lang = request.Query["lang"] is { Count: > 0 } asked ? asked[0] : null;
        var form = await sender.Send(new GetSignUpFormQuery(lang, KioskCookie.Read(request)), http.RequestAborted);
        if (form.TakesSignUps && kept.TryServe(http, EmptyFormCache.Key.For(store.Id, form), form.SubmissionId, out var sent))
        {
            await sent;
            return;
        }

        await next(http);
    }
}
