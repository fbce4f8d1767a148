using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>Marks the page whose valid sign-up post <see cref="SignUpPostMiddleware"/> may take before MVC.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TakesSignUpPostAttribute : Attribute;

/// <summary>
/// The kiosk's valid sign-up, taken before MVC runs (ADR 35), as <see cref="KeptFormMiddleware"/> serves
/// the empty form. Every middleware has run by then (tenant, language, rate limits, the body's UTF-8
/// repair, sign-in). A urlencoded post of the page's own fields (<see cref="SignUpPostForm"/>) with a
/// body the page's limit takes and a token the antiforgery check accepts is sent as the page sends it
/// (the page's form query, then the command) and answered as the page answers it: 302 to the thank-you
/// page, <c>no-store</c>. Anything else goes on to the page untouched and is answered there: a refused
/// link, a filled honeypot, a form binding would explain or the validator refuses (the page shows the
/// refusal found here, <see cref="RefusalOf"/>, without sending it again), a bad token (400), a body too
/// large (413). The form read here is the request's own, so the page reads the same one.
/// </summary>
public sealed class SignUpPostMiddleware(RequestDelegate next, LinkGenerator links, IOptions<AntiforgeryOptions> antiforgeryOptions)
{
    /// <summary>The page that thanks the shopper, as the page redirects to it.</summary>
    private const string ThanksPage = "/Store/Thanks";

    /// <summary>The cookie MVC's TempData keeps; a redirect re-saves it, so such a request is left to the page.</summary>
    private const string TempDataCookie = ".AspNetCore.Mvc.CookieTempDataProvider";

    /// <summary>Where the validator's refusal of this request's sign-up waits for the page.</summary>
    private static readonly object RefusalKey = new();

    /// <summary>
    /// The validator's refusal of the sign-up this request posted, when it was sent here: the page, which binds
    /// the very same form (the reader takes only what binding takes alike), shows its errors instead of
    /// sending the command again. Null when nothing was sent here.
    /// </summary>
    public static ValidationException? RefusalOf(HttpContext http) => http.Items.TryGetValue(RefusalKey, out var refused) ? refused as ValidationException : null;

    public async Task InvokeAsync(HttpContext http, ISender sender, ITenantContext tenant, KioskRequestTokens antiforgery)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method)
            || http.GetEndpoint()?.Metadata.GetMetadata<TakesSignUpPostAttribute>() is null
            || tenant.Tenant is null
            || request.ContentLength is not (> 0 and <= Abuse.RequestBodyLimitAttribute.SignUpFormBytes)
            || !IsUrlEncodedForm(request.ContentType)
            || request.Cookies.ContainsKey(TempDataCookie))
        {
            await next(http);
            return;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // The form feature keeps this failure: the page meets it again and answers it as it always has.
            await next(http);
            return;
        }

        if (SignUpPostForm.TryRead(form, request.Query, antiforgeryOptions.Value.FormFieldName, System.Globalization.CultureInfo.CurrentCulture) is not (var command, var lang)
            || !await antiforgery.IsValidAsync(http, form))
        {
            await next(http);
            return;
        }

        // As the page's handler: the form at the link the sign-up was typed under, then the command.
        var signUpForm = await sender.Send(new GetSignUpFormQuery(command.Language ?? lang, command.KioskToken), http.RequestAborted);
        if (!signUpForm.TakesSignUps)
        {
            await next(http);
            return;
        }

        try
        {
            await sender.Send(command, http.RequestAborted);
        }
        catch (ValidationException refused)
        {
            // Refused, nothing stored: the page shows the form with these errors (422) without sending it again.
            http.Items[RefusalKey] = refused;
            await next(http);
            return;
        }

        var response = http.Response;
        // As [ResponseCache(NoStore = true, Location = None)] and RedirectToPage on the page.
        response.Headers.CacheControl = "no-store,no-cache";
        response.Headers.Pragma = "no-cache";
        response.Redirect(links.GetPathByPage(http, ThanksPage, values: new { lang = signUpForm.Language })!);
    }

    /// <summary>A urlencoded form in UTF-8 (or no charset), as the browser posts the kiosk's form.</summary>
    private static bool IsUrlEncodedForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
