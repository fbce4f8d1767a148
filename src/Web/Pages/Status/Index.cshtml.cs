using System.Globalization;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Web.Resources;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Status;

/// <summary>
/// The friendly page for every error status, shown by the status-code pages middleware, in the
/// language <see cref="Localization.StoreLanguageProvider"/> chose (StatusText.resx). It answers every
/// method (a re-executed request keeps its own) and binds nothing: the status is the response's, and
/// a body that broke the request it stands in for is never read again.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(IStringLocalizer<StatusText> text, ITenantContext tenant) : PageModel
{
    private static readonly int[] Explained = [400, 401, 403, 404, 405, 413, 429];

    public int Code { get; private set; }

    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    /// <summary>The start page; on a store, its form in the language of this page.</summary>
    public string Home => tenant.Tenant is null ? "/" : Store.KioskPage.Link("/", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    /// <summary>
    /// Runs whatever the method (this page has no handler). The page is the result here: without a
    /// handler Razor Pages would answer OPTIONS with an empty 200.
    /// </summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        context.Result = Page();
        Code = StatusOfThisResponse();
        var key = Code == 503 ? "503" : Code >= 500 ? "500" : Explained.Contains(Code) ? Code.ToString(CultureInfo.InvariantCulture) : "Other";
        Heading = text["Title" + key];
        Explanation = text["Text" + key];
    }

    /// <summary>
    /// Shown in place of a response: that response's status. Visited at its own address: the status
    /// the address names, from the route only (a form or query value naming a status is ignored).
    /// </summary>
    private int StatusOfThisResponse()
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted)
        {
            return reExecuted.OriginalStatusCode;
        }

        if (HttpContext.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            return Response.StatusCode;
        }

        var named = Convert.ToString(RouteData.Values["code"], CultureInfo.InvariantCulture);
        Response.StatusCode = int.TryParse(named, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 400 and <= 599
            ? code
            : StatusCodes.Status404NotFound;
        return Response.StatusCode;
    }
}
