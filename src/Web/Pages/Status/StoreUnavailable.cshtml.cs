using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Status;

/// <summary>
/// Shown for a suspended or canceled store. 403, not 503: the refusal is deliberate and lasting,
/// so clients and uptime monitors should not treat it as an outage to retry.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class StoreUnavailableModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
