using CustomerInfo.Application.Billing.Subscribe;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Admin.Billing;

/// <summary>
/// Where Checkout sends the Owner back (<c>?session_id=…</c>). The redirect proves nothing, anyone can
/// type it, so the session id is not even read: the page waits for the tenant to turn active, which
/// only Stripe's signed webhook does, and polls <see cref="OnGetStatusAsync"/> until then.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ReturnModel(ISender sender) : PageModel
{
    public bool Active { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Active = await IsActiveAsync(cancellationToken);

    public async Task<IActionResult> OnGetStatusAsync(CancellationToken cancellationToken) =>
        new JsonResult(new { active = await IsActiveAsync(cancellationToken) });

    private async Task<bool> IsActiveAsync(CancellationToken cancellationToken) =>
        (await sender.Send(new GetBillingQuery(), cancellationToken)).State is BillingState.Subscribed;
}
