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

/// <summary>
/// The second step of a two-factor sign-in: the code from the app, or a recovery code. Reached only
/// with the protected cookie the password step leaves (<see cref="TwoFactorPending"/>); the session
/// is made here and nowhere before.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class SignInCodeModel(ISender sender, ITenantContext tenant, TwoFactorPending pending, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public string ReturnUrl { get; private set; } = MemberAuthentication.AdminPath;

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = SignInModel.SafeReturnUrl(Url, returnUrl);
        return pending.Read(HttpContext, tenant.RequiredTenant.Id) is null ? BackToPassword() : Page();
    }

    [Validation.ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = SignInModel.SafeReturnUrl(Url, returnUrl);
        if (pending.Read(HttpContext, tenant.RequiredTenant.Id) is not { } attempt)
        {
            return BackToPassword();
        }

        var result = await sender.Send(new VerifySecondFactorCommand(attempt.MemberId, attempt.SecurityStamp, attempt.Id, Code), cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                TwoFactorPending.End(HttpContext);
                await HttpContext.SignInAsync(MemberAuthentication.Scheme, MemberAuthentication.Principal(tenant.RequiredTenant.Id, result.Member!));
                return LocalRedirect(ReturnUrl);
            case SignInOutcome.LockedOut:
                ModelState.AddModelError(nameof(Code), text["CodeLockedOut"]);
                return Page();
            case SignInOutcome.WrongCode:
                ModelState.AddModelError(nameof(Code), text["WrongCode"]);
                return Page();
            default:
                return BackToPassword();
        }
    }

    private RedirectToPageResult BackToPassword()
    {
        TwoFactorPending.End(HttpContext);
        return RedirectToPage("/Admin/SignIn", new { returnUrl = ReturnUrl == MemberAuthentication.AdminPath ? null : ReturnUrl, expired = true });
    }
}
