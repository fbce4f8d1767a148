using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.Stores;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// A kiosk link, as a tablet opens it by scanning its QR code: a live link is kept in the tablet's
/// cookie and the tablet goes on to the form, which then credits every sign-up to the link's store.
/// A revoked link answers 410 and one this store never issued 404, each with a page that says what
/// to do; neither replaces the link the tablet already has.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class LinkModel(ISender sender, IOptions<KioskOptions> options) : PageModel
{
    public KioskBrand Brand { get; private set; } = null!;

    public KioskQueuePanel Queue { get; private set; } = null!;

    public KioskLinkState Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, string? lang, CancellationToken cancellationToken)
    {
        var form = await sender.Send(new GetSignUpFormQuery(lang, token), cancellationToken);
        if (form.LinkState is KioskLinkState.Live or KioskLinkState.StoreClosed)
        {
            KioskCookie.Write(Response, token);
            return Redirect(KioskPage.Link("/", form.Language));
        }

        Brand = KioskBrand.For(form);
        Queue = KioskQueuePanel.For(form, options.Value);
        Problem = form.LinkState;
        Response.StatusCode = form.LinkState == KioskLinkState.Revoked ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound;
        return Page();
    }
}
