using System.Globalization;
using CustomerInfo.Application.Accounts.FindMyStores;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerInfo.Web.Pages.Platform;

/// <summary>
/// Sign-in at the apex: a retailer who does not remember their store's address gets its sign-in
/// links by mail. The answer is the same for every address.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class SignInModel(ISender sender) : PageModel
{
    [BindProperty]
    public FindMyStoresCommand Command { get; set; } = new(null);

    public bool Sent { get; private set; }

    public void OnGet(bool sent = false) => Sent = sent;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Command with { Language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName }, cancellationToken);
        return RedirectToPage(new { sent = true, lang = Request.Query["lang"].FirstOrDefault() });
    }
}
