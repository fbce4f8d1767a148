using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Owner;

[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/owner");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(OwnerAuthentication.Scheme);
        return Redirect("/");
    }
}
