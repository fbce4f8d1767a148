using CustomerInfo.Application.Accounts.SignInMember;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class SignInModel(ISender sender, ITenantContext tenant, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty]
    public SignInMemberCommand Command { get; set; } = new(null, null);

    public string ReturnUrl { get; private set; } = MemberAuthentication.AdminPath;

    public bool SignedOut { get; private set; }

    /// <summary>Arrived from the reset page: the new password is set and every old session is over.</summary>
    public bool PasswordChanged { get; private set; }

    public void OnGet(string? returnUrl, bool signedOut = false, bool passwordChanged = false)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        SignedOut = signedOut;
        PasswordChanged = passwordChanged;
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        var result = await sender.Send(Command, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(MemberAuthentication.Scheme, MemberAuthentication.Principal(tenant.RequiredTenant.Id, result.Member!));
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.LockedOut:
                ModelState.AddModelError(string.Empty, text["LockedOut"]);
                return Page();
            default:
                ModelState.AddModelError(string.Empty, text["WrongCredentials"]);
                return Page();
        }
    }

    /// <summary>Only a path of this admin: never another host, never the kiosk.</summary>
    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(MemberAuthentication.AdminPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : MemberAuthentication.AdminPath;
}
