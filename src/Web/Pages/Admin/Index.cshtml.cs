using CustomerInfo.Application.Admin.GetOverview;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin;

public sealed class IndexModel(ISender sender) : PageModel
{
    public AdminOverview? Overview { get; private set; }

    /// <summary>The kiosk of this store, as the tablet opens it.</summary>
    public string KioskUrl => $"{Request.Scheme}://{Request.Host}/";

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Overview = await sender.Send(new GetOverviewQuery(), cancellationToken);
}
