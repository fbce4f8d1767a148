using System.Globalization;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Web.Resources;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Status;

/// <summary>
/// The friendly page for every error status, shown by the status-code pages middleware, in the
/// language <see cref="Localization.StoreLanguageProvider"/> chose (StatusText.resx).
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
    public string Home => tenant.Tenant is null ? "/" : Store.KioskPage.Link("/", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, null);

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 500;
        var key = Code >= 500 ? "500" : Explained.Contains(Code) ? Code.ToString(CultureInfo.InvariantCulture) : "Other";
        Heading = text["Title" + key];
        Explanation = text["Text" + key];

        // A re-executed error keeps its own status; a direct visit shows the code it names.
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null && HttpContext.Features.Get<IExceptionHandlerFeature>() is null)
        {
            Response.StatusCode = Code;
        }
    }
}
