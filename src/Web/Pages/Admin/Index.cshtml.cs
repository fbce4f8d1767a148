using System.Globalization;
using CustomerInfo.Application.Accounts.ResendConfirmation;
using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.Application.Admin.GetOverview;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
public sealed class IndexModel(ISender sender, IStringLocalizer<AdminText> text) : PageModel
{
    public AdminOverview? Overview { get; private set; }

    public Dashboard? Dashboard { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public bool Welcome { get; private set; }

    public async Task OnGetAsync(bool welcome, CancellationToken cancellationToken)
    {
        Welcome = welcome;
        Overview = await sender.Send(new GetOverviewQuery(), cancellationToken);
        Dashboard = await sender.Send(new GetDashboardQuery(), cancellationToken);
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

    /// <summary>The chart of <see cref="Dashboard"/>'s days, in the page's language.</summary>
    public IHtmlContent Chart()
    {
        var dashboard = Dashboard!;
        var culture = CultureInfo.CurrentCulture;
        var words = new SignUpChartText(
            text["ChartTitle"],
            text["ChartDescription", dashboard.SignUpsLast30Days, dashboard.Days[0].Day.ToString("D", culture), dashboard.Today.ToString("D", culture), dashboard.Days.Max(d => d.SignUps)],
            text["ChartYAxis"],
            text["ChartBar"]);
        return new HtmlString(SignUpChart.Svg(dashboard.Days, words, culture));
    }

    /// <summary>A share as a whole percentage, or "—" when there is nothing to take a share of.</summary>
    public static string Percent(double? share) =>
        share is { } value ? value.ToString("P0", CultureInfo.CurrentCulture) : "—";
}
