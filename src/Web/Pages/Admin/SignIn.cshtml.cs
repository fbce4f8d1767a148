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
public sealed class SignInModel(ISender sender, ITenantContext tenant, TwoFactorPending pending, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty]
    public SignInMemberCommand Command { get; set; } = new(null, null);

    public string ReturnUrl { get; private set; } = MemberAuthentication.AdminPath;

    public bool SignedOut { get; private set; }

    /// <summary>Arrived from the reset page: the new password is set and every old session is over.</summary>
    public bool PasswordChanged { get; private set; }

    /// <summary>Sent back from the code step: its five minutes were over, or it was used.</summary>
    public bool CodeStepExpired { get; private set; }

    public void OnGet(string? returnUrl, bool signedOut = false, bool passwordChanged = false, bool expired = false)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        SignedOut = signedOut;
        PasswordChanged = passwordChanged;
        CodeStepExpired = expired;
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        var result = await sender.Send(Command, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.SecondFactorRequired:
                // No session yet: the password only opens the code step.
                pending.Start(HttpContext, tenant.RequiredTenant.Id, result.Member!);
                return RedirectToPage("/Admin/SignInCode", new { returnUrl = ReturnUrl });
            case SignInOutcome.SignedIn:
                TwoFactorPending.End(HttpContext);
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
    public static string SafeReturnUrl(Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(MemberAuthentication.AdminPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : MemberAuthentication.AdminPath;

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(MemberAuthentication.AdminPath, StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : MemberAuthentication.AdminPath;
}
