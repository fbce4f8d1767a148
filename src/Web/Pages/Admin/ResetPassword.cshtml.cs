using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.ResetPassword;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// The page a reset mail links to: choose a new password, then sign in with it. Every session of the
/// account ends. An expired, used or unknown link says so (unknown with 404).
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ResetPasswordModel(ISender sender) : PageModel
{
    [BindProperty]
    public ResetPasswordCommand Command { get; set; } = new(null, null);

    public AccountTokenCheck Check { get; private set; } = AccountTokenCheck.Invalid;

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        Command = Command with { Token = token };
        return Shown(await sender.Send(new CheckResetLinkQuery(token), cancellationToken));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Checked before the password, so a dead link says so rather than judging the password.
        Check = await sender.Send(new CheckResetLinkQuery(Command.Token), cancellationToken);
        if (Check != AccountTokenCheck.Valid)
        {
            return Shown(Check);
        }

        var result = await sender.Send(Command, cancellationToken);
        return result == AccountTokenCheck.Valid
            ? Redirect(MemberAuthentication.SignInPath + "?passwordChanged=true")
            : Shown(result);
    }

    private PageResult Shown(AccountTokenCheck check)
    {
        Check = check;
        if (check == AccountTokenCheck.Invalid)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
