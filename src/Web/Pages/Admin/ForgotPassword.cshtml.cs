using System.Globalization;
using CustomerInfo.Application.Accounts.ForgotPassword;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// Asks for a reset link. The answer is the same whether the address has an account here or not;
/// the link, when there is one, comes by mail from a background job.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class ForgotPasswordModel(ISender sender) : PageModel
{
    [BindProperty]
    public RequestPasswordResetCommand Command { get; set; } = new(null);

    public bool Sent { get; private set; }

    public void OnGet(bool sent = false) => Sent = sent;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Command with { Language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName }, cancellationToken);
        return RedirectToPage(new { sent = true, lang = Request.Query["lang"].FirstOrDefault() });
    }
}
