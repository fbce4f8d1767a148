using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>Ends the session on the server (the cookie handler removes it from the session store), not only in this browser.</summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(MemberAuthentication.AdminPath);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(MemberAuthentication.Scheme);
        return Redirect(MemberAuthentication.SignInPath + "?signedOut=true");
    }
}
