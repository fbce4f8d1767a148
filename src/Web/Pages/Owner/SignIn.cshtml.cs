using CustomerInfo.Application.Owner.SignInOwner;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Owner;

[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class SignInModel(ISender sender) : PageModel
{
    [BindProperty]
    public SignInOwnerCommand Command { get; set; } = new(null, null);

    public string ReturnUrl { get; private set; } = "/owner";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturnUrl(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        var result = await sender.Send(Command, cancellationToken);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, result.LockedUntil is null
                ? "That email and password do not match."
                : "Too many wrong passwords. Sign-in is locked for 5 minutes.");
            return Page();
        }

        await HttpContext.SignInAsync(OwnerAuthentication.Scheme, OwnerAuthentication.OwnerPrincipal(result.Email!));
        return LocalRedirect(ReturnUrl);
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/owner";
}
