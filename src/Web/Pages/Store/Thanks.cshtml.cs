using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>The thank-you screen; it goes back to an empty form by itself after the store's ThankYouSeconds.</summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ThanksModel(ISender sender, IStringLocalizer<KioskText> text, IOptions<KioskOptions> options) : PageModel
{
    public KioskBrand Brand { get; private set; } = null!;

    public KioskQueuePanel Queue { get; private set; } = null!;

    /// <summary>The store's thank-you text, or ours when it has none.</summary>
    public string Heading { get; private set; } = "";

    public int Seconds { get; private set; }

    public string Home { get; private set; } = "/";

    public async Task OnGetAsync(string? lang, CancellationToken cancellationToken)
    {
        var form = await sender.Send(new GetSignUpFormQuery(lang, KioskCookie.Read(Request)), cancellationToken);
        Brand = KioskBrand.For(form);
        Queue = KioskQueuePanel.For(form, options.Value);
        Heading = string.IsNullOrWhiteSpace(Brand.ThankYou) ? text["ThankYouTitle"] : Brand.ThankYou;
        Seconds = Math.Clamp(form.Definition.ThankYouSeconds, 2, 120);
        Home = KioskPage.Link("/", form.Language);
    }
}
