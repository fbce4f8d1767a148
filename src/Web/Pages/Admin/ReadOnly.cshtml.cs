using CustomerInfo.Web.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>What a change in a canceled tenant's admin is answered with (<see cref="ReadOnlyAdminMiddleware"/>): 403, and why.</summary>
public sealed class ReadOnlyModel : PageModel
{
    public void OnGet()
    {
        if (HttpContext.Items.ContainsKey(ReadOnlyAdminMiddleware.RefusedItem))
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }
}
