using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Status;

/// <summary>The friendly page for every error status, shown by the status-code pages middleware.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel : PageModel
{
    public int Code { get; private set; }

    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 500;
        (Heading, Explanation) = Code switch
        {
            400 => ("That request was not understood", "Something in the request was malformed. Go back and try again."),
            401 => ("Please sign in", "This page is for signed-in users."),
            403 => ("Not allowed", "Your account does not have access to this page."),
            404 => ("Page not found", "There is no page at this address. Check the address, or start again from the start page."),
            405 => ("Not allowed", "This page cannot be used that way."),
            413 => ("Too much data", "What was sent is larger than this page accepts."),
            429 => ("Too many tries", "Please wait a moment, then try again."),
            >= 500 => ("Something went wrong on our side", "We have been told about it. Please try again in a moment; nothing you entered was sent twice."),
            _ => ("That did not work", "Please go back and try again."),
        };

        // A re-executed error keeps its own status; a direct visit shows the code it names.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
        {
            Response.StatusCode = Code;
        }
    }
}
