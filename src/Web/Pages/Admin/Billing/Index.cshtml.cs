using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.GetBillingUsage;
using CustomerInfo.Application.Billing.Subscribe;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Billing;

/// <summary>
/// The store's subscription (Owners only: it commits the business to pay): where it stands, the plans,
/// and the way to Stripe's hosted pages, Checkout to subscribe and the Customer Portal to manage.
/// When Stripe can't be reached the Owner gets a sentence, not an error page, and nothing changed.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed partial class IndexModel(ISender sender, IStringLocalizer<BillingText> text, ILogger<IndexModel> logger) : PageModel
{
    public BillingView View { get; private set; } = null!;

    [TempData]
    public string? Problem { get; set; }

    /// <summary>Back from Checkout without paying (<c>?checkout=canceled</c>).</summary>
    public bool CheckoutCanceled => Request.Query["checkout"] == "canceled";

    /// <summary>This month's kiosk sign-ups against the plan, and the next invoice (null on a page shown after a refused post).</summary>
    public UsageCard? Usage { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        View = await sender.Send(new GetBillingQuery(), cancellationToken);
        Usage = UsageCard.From(await sender.Send(new GetBillingUsageQuery(), cancellationToken), System.Globalization.CultureInfo.CurrentUICulture);
    }

    public Task<IActionResult> OnPostSubscribeAsync(string? planId, CancellationToken cancellationToken) =>
        ToStripeAsync(async () =>
        {
            var outcome = await sender.Send(new StartCheckoutCommand(planId), cancellationToken);
            return outcome.Refusal switch
            {
                null => outcome.CheckoutUrl,
                // A running subscription changes plan in the portal, where Stripe prorates it.
                CheckoutRefusal.AlreadySubscribed => await sender.Send(new OpenBillingPortalCommand(), cancellationToken),
                var refusal => Refuse(text["Refused_" + refusal]),
            };
        });

    public Task<IActionResult> OnPostPortalAsync(CancellationToken cancellationToken) =>
        ToStripeAsync(async () => await sender.Send(new OpenBillingPortalCommand(), cancellationToken) ?? Refuse(text["NoCustomer"]));

    /// <summary>303 to Stripe's page, or back to this page with the reason.</summary>
    private async Task<IActionResult> ToStripeAsync(Func<Task<Uri?>> start)
    {
        try
        {
            if (await start() is { } url)
            {
                Response.Headers.Location = url.ToString();
                return StatusCode(StatusCodes.Status303SeeOther);
            }
        }
        catch (StripeUnavailableException failure)
        {
            LogStripeUnavailable(failure.Message);
            Problem = text["StripeUnavailable"];
        }
        catch (StripeRefusedException failure)
        {
            LogStripeRefused(failure.Code, failure.Message);
            Problem = text["StripeRefused"];
        }

        return RedirectToPage();
    }

    private Uri? Refuse(string problem)
    {
        Problem = problem;
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing: Stripe is unavailable: {Reason}")]
    private partial void LogStripeUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing: Stripe refused the request ({Code}): {Reason}")]
    private partial void LogStripeRefused(string? code, string reason);
}
