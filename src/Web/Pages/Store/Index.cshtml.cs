using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The shopper's sign-up form. GET shows an empty form with a new submission id; POST sends the
/// command and redirects to the thank-you page (post-redirect-get), or shows the form again with
/// what was typed and the errors (422). Nothing here is cached by the browser.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[RequestBodyLimit(RequestBodyLimitAttribute.SignUpFormBytes)]
[TypeFilter<EmptyFormCache>]
public sealed class IndexModel(ISender sender, IStringLocalizer<KioskText> text, ITenantContext tenant, IOptions<KioskOptions> options) : PageModel
{
    /// <summary>A field people never see; whatever fills it is a bot, which gets the thank-you and stores nothing.</summary>
    public const string HoneypotField = "website";

    private SignUpForm? form;
    private KioskPage? kiosk;

    [BindProperty]
    public SubmitSignUpCommand Command { get; set; } = new();

    /// <summary>Built when the page renders, so it shows the errors the validation filter added after the handler.</summary>
    public KioskPage Kiosk => kiosk ??= KioskPage.For(form!, Command, ModelState, text);

    public KioskQueuePanel Queue => KioskQueuePanel.For(form!, options.Value);

    /// <summary>Set for an empty form, which <see cref="EmptyFormCache"/> may serve from its kept copy.</summary>
    public EmptyFormCache.Key? EmptyFormKey { get; private set; }

    public async Task OnGetAsync(string? lang, string? loc, CancellationToken cancellationToken)
    {
        form = await sender.Send(new GetSignUpFormQuery(lang, loc), cancellationToken);
        Command = new SubmitSignUpCommand
        {
            SubmissionId = form.SubmissionId,
            FormVersion = form.Definition.Version,
            Language = form.Language,
            Location = form.Location?.Key,
        };
        EmptyFormKey = EmptyFormCache.Key.For(tenant.RequiredTenant.Id, form);
    }

    public async Task<IActionResult> OnPostAsync(string? lang, string? loc, [FromForm(Name = HoneypotField)] string? honeypot, CancellationToken cancellationToken)
    {
        form = await sender.Send(new GetSignUpFormQuery(Command.Language ?? lang, Command.Location ?? loc), cancellationToken);
        if (!string.IsNullOrEmpty(honeypot))
        {
            return ThankYou();
        }

        if (!ModelState.IsValid)
        {
            KioskPage.ExplainBindingErrors(ModelState, text);
            return Page();
        }

        await sender.Send(Command, cancellationToken);
        return ThankYou();
    }

    /// <summary>A fresh antiforgery token for the offline queue, whose saved sign-ups outlive the page they were typed on.</summary>
    public IActionResult OnGetToken([FromServices] IAntiforgery antiforgery) =>
        new JsonResult(new { token = antiforgery.GetAndStoreTokens(HttpContext).RequestToken });

    /// <summary>
    /// A form shown again with errors answers 422, so the offline queue can tell "refused" from "stored".
    /// A submission id that could not be used (missing, unreadable, empty) stored nothing, so the form
    /// comes back with a fresh one: sending it again then works, instead of failing the same way.
    /// </summary>
    public override void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
        if (context.Result is PageResult && !ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            if (Command.SubmissionId is not { } id || id == Guid.Empty)
            {
                Command.SubmissionId = form?.SubmissionId;
            }
        }
    }

    private RedirectToPageResult ThankYou() => RedirectToPage("/Store/Thanks", new { lang = form!.Language, loc = form.Location?.Key });
}
