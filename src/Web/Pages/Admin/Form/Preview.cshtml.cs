using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.FormDrafts;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Pages.Store;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace CustomerInfo.Web.Pages.Admin.Form;

/// <summary>
/// The kiosk page as the draft would show it (the published form when there is no draft), for the
/// form builder's frame: the kiosk's own markup and <see cref="KioskPage.For"/>, without its scripts,
/// its token or a way to submit, so it takes no sign-ups and sets no kiosk cookie. Framed by this
/// origin only.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[SecurityHeadersPolicy(Security.SecurityHeaders.FramedBySelfPolicy)]
public sealed class PreviewModel(ISender sender, ITenantContext tenant, IStringLocalizer<KioskText> kioskText, IStringLocalizer<FormBuilderText> text) : PageModel
{
    public KioskPage Kiosk { get; private set; } = null!;

    public string PreviewNote { get; private set; } = "";

    public async Task OnGetAsync(string? lang, CancellationToken cancellationToken)
    {
        var state = await sender.Send(new GetFormBuilderQuery(), cancellationToken);
        var definition = state.Editing;
        var language = FormLanguages.IsOffered(lang) ? lang : FormLanguages.IsOffered(definition.DefaultLanguage) ? definition.DefaultLanguage : FormLanguages.English;
        var form = new SignUpForm(tenant.RequiredTenant.Name, definition, language, Guid.Empty);
        var kiosk = KioskPage.For(form, new SubmitSignUpCommand(), new ModelStateDictionary(), kioskText);
        // The language links and the store name stay inside the preview.
        Kiosk = kiosk with
        {
            Brand = kiosk.Brand with
            {
                Home = Link(language),
                Languages = [.. kiosk.Brand.Languages.Select(l => l with { Url = Link(l.Code) })],
            },
        };
        PreviewNote = text["PreviewNote"];
    }

    private static string Link(string language) => "/admin/form/preview" + QueryString.Create("lang", language).ToUriComponent();
}
