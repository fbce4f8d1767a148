using CustomerInfo.Application.Accounts.ResendConfirmation;
using CustomerInfo.Application.Admin.GetOverview;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
public sealed class IndexModel(ISender sender, IStringLocalizer<AdminText> text) : PageModel
{
    public AdminOverview? Overview { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public bool Welcome { get; private set; }

    /// <summary>The kiosk of this store, as the tablet opens it.</summary>
    public string KioskUrl => $"{Request.Scheme}://{Request.Host}/";

    public async Task OnGetAsync(bool welcome, CancellationToken cancellationToken)
    {
        Welcome = welcome;
        Overview = await sender.Send(new GetOverviewQuery(), cancellationToken);
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        Done = await sender.Send(new ResendConfirmationCommand(), cancellationToken) switch
        {
            ResendOutcome.Sent => text["ConfirmationSent", User.Identity?.Name ?? ""],
            ResendOutcome.TooMany => text["ConfirmationTooMany"],
            _ => text["AlreadyConfirmedNote"],
        };
        return RedirectToPage();
    }
}
