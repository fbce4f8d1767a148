using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.ContinueSignIn;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>Where the sign-up page sends a new retailer: signs them in on their own host, once.</summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ContinueModel(ISender sender, ITenantContext tenant) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        var result = await sender.Send(new ContinueSignInCommand(token), cancellationToken);
        if (result.Check != AccountTokenCheck.Valid)
        {
            Response.StatusCode = result.Check == AccountTokenCheck.Invalid ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
            return Page();
        }

        await HttpContext.SignInAsync(MemberAuthentication.Scheme, MemberAuthentication.Principal(tenant.RequiredTenant.Id, result.Member!));
        return LocalRedirect(MemberAuthentication.AdminPath + "?welcome=true");
    }
}
