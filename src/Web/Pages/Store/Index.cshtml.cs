using System.Runtime.ExceptionServices;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Stores;
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
[ServiceFilter<EmptyFormCache>]
[ServesKeptForm]
[TakesSignUpPost]
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

    /// <summary>Why this tablet's kiosk link takes no sign-ups (revoked, unknown, its store closed); null when it does.</summary>
    public KioskLinkState? LinkProblem => form is { TakesSignUps: false } ? form.LinkState : null;

    public async Task OnGetAsync(string? lang, CancellationToken cancellationToken)
    {
        form = await sender.Send(new GetSignUpFormQuery(lang, KioskCookie.Read(Request)), cancellationToken);
        if (RefuseLink())
        {
            return;
        }

        Command = new SubmitSignUpCommand
        {
            SubmissionId = form.SubmissionId,
            FormVersion = form.Definition.Version,
            Language = form.Language,
            KioskToken = form.KioskToken,
        };
        EmptyFormKey = EmptyFormCache.Key.For(tenant.RequiredTenant.Id, form);
    }

    /// <summary>
    /// The sign-up names the link it was filled in under, not the tablet's cookie now: a sign-up that
    /// waited offline is credited to the link (and refused with the link) it was typed at.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(string? lang, [FromForm(Name = HoneypotField)] string? honeypot, CancellationToken cancellationToken)
    {
        form = await sender.Send(new GetSignUpFormQuery(Command.Language ?? lang, Command.KioskToken), cancellationToken);
        if (RefuseLink())
        {
            return Page();
        }

        if (!string.IsNullOrEmpty(honeypot))
        {
            return ThankYou();
        }

        if (!ModelState.IsValid)
        {
            KioskPage.ExplainBindingErrors(ModelState, text);
            return Page();
        }

        // Sent already before MVC and refused (ADR 35): the validation filter shows those errors, as it would a second refusal.
        if (SignUpPostMiddleware.RefusalOf(HttpContext) is { } refused)
        {
            ExceptionDispatchInfo.Throw(refused);
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
        if (context.Result is PageResult && !ModelState.IsValid && LinkProblem is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            if (Command.SubmissionId is not { } id || id == Guid.Empty)
            {
                Command.SubmissionId = form?.SubmissionId;
            }
        }
    }

    private RedirectToPageResult ThankYou() => RedirectToPage("/Store/Thanks", new { lang = form!.Language });

    /// <summary>
    /// A revoked link answers 410 and a made-up one 404, with a page that says so: the tablet keeps
    /// what is queued on it (held for staff, kiosk.js and sw.js), and takes nothing new. A closed
    /// store answers 403 like a closed tenant, which the tablet treats as "queue and try later".
    /// </summary>
    private bool RefuseLink()
    {
        Response.StatusCode = LinkProblem switch
        {
            null => Response.StatusCode,
            KioskLinkState.Revoked => StatusCodes.Status410Gone,
            KioskLinkState.StoreClosed => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status404NotFound,
        };
        return LinkProblem is not null;
    }
}
