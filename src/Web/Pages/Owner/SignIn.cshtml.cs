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
public sealed class SignInModel(ISender sender, Microsoft.Extensions.Options.IOptionsMonitor<CustomerInfo.Application.Owner.OwnerOptions> options) : PageModel
{
    [BindProperty]
    public SignInOwnerCommand Command { get; set; } = new(null, null);

    /// <summary>Owner:TotpSecret is set: the form asks for the authenticator app's code too.</summary>
    public bool AsksForCode => options.CurrentValue.RequiresTotp;

    public string ReturnUrl { get; private set; } = "/owner";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturnUrl(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        var result = await sender.Send(Command, cancellationToken);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, result.LockedUntil is not null
                ? "Too many wrong passwords or codes. Sign-in is locked for 5 minutes."
                : AsksForCode ? "That email, password and code do not match (a code works once: wait for the next one)." : "That email and password do not match.");
            return Page();
        }

        await HttpContext.SignInAsync(OwnerAuthentication.Scheme, OwnerAuthentication.OwnerPrincipal(result.Email!));
        return LocalRedirect(ReturnUrl);
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/owner";
}
