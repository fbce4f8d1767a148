using System.Globalization;
using CustomerInfo.Application.Accounts.CheckSubdomain;
using CustomerInfo.Application.Accounts.StartTrial;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Platform;

/// <summary>
/// "Start free trial": company, subdomain, work email, password. The subdomain is checked live as
/// it is typed (start.js, through <see cref="OnGetAvailabilityAsync"/>); without JavaScript the
/// server's check on submit decides, and the unique index decides between two at the same moment.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class StartModel(ISender sender, ISiteLinks links, IOptions<AppOptions> app, IOptions<TrialOptions> trial) : PageModel
{
    [BindProperty]
    public StartTrialCommand Command { get; set; } = new(null, null, null, null);

    public string RootDomain { get; } = app.Value.RootDomain;

    public int TrialDays { get; } = trial.Value.TrialDays;

    public void OnGet()
    {
    }

    /// <summary>The live check: <c>{ available, message, subdomain }</c>.</summary>
    public async Task<IActionResult> OnGetAvailabilityAsync(string? subdomain, CancellationToken cancellationToken)
    {
        var check = await sender.Send(new CheckSubdomainQuery(subdomain), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new { available = check.Available, message = ValidationText.For(check.Message), subdomain = check.Subdomain });
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var result = await sender.Send(Command with { Language = language }, cancellationToken);
        return Redirect(links.Store(result.Identifier, "/admin/continue?token=" + Uri.EscapeDataString(result.HandoffToken)).AbsoluteUri);
    }
}
