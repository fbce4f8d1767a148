using CustomerInfo.Application.Brand;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Brand;

/// <summary>
/// The store's look (Managers and Owners): its name, its two colours with the contrast check, and
/// its logo. Every change publishes a form version based on the one the page showed, so a publish
/// by someone else meanwhile is reported, and what was typed is kept.
/// </summary>
[LogoUploadLimit]
[RequestSizeLimit(LogoUploadLimitAttribute.Bytes)]
[RequestFormLimits(MultipartBodyLengthLimit = LogoUploadLimitAttribute.Bytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender, IStringLocalizer<BrandingText> text) : PageModel
{
    public BrandingView Current { get; private set; } = null!;

    [BindProperty]
    public BrandingForm Form { get; set; } = new();

    [TempData]
    public string? Done { get; set; }

    public string? Refusal { get; private set; }

    /// <summary>The language asked for in the address (?lang=nl), kept through the page's posts and redirects.</summary>
    public string? Language => LanguageOf(Request);

    internal static string? LanguageOf(HttpRequest request) =>
        request.Query["lang"].FirstOrDefault() is { } lang && FormLanguages.IsOffered(lang) ? lang : null;

    /// <summary>Why the last upload was refused, said next to the file field.</summary>
    public string? LogoError { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Current = await sender.Send(new GetBrandingQuery(), HttpContext.RequestAborted);
        if (context.HandlerMethod?.Name != "Save")
        {
            Form = new BrandingForm { StoreName = Current.StoreName, PrimaryColour = Current.PrimaryColour, BackgroundColour = Current.BackgroundColour, Version = Current.Version };
        }

        await next();
    }

    /// <param name="problem">Set by <see cref="LogoUploadLimitAttribute"/> when an upload was refused by its size before it was read.</param>
    public void OnGet(LogoProblem? problem)
    {
        if (problem is LogoProblem.TooLarge)
        {
            LogoError = text["Problem_TooLarge"];
        }
    }

    [ValidationErrorsFor(nameof(Form))]
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new SaveBrandingCommand(Form.StoreName, Form.PrimaryColour, Form.BackgroundColour, Form.Version), cancellationToken);
        if (outcome.IsConflict)
        {
            return Conflicted(outcome, "Conflict");
        }

        Done = outcome.Published == Form.Version ? text["NothingChanged"] : text["Saved", outcome.Published!];
        return RedirectToPage(new { lang = Language });
    }

    public async Task<IActionResult> OnPostLogoAsync(IFormFile? logo, int version, CancellationToken cancellationToken)
    {
        if (logo is null)
        {
            return Refused(text["Problem_NoFile"]);
        }

        if (logo.Length > LogoFile.MaxBytes)
        {
            return Refused(text["Problem_TooLarge"]);
        }

        var bytes = new byte[logo.Length];
        await using (var stream = logo.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        var outcome = await sender.Send(new UploadLogoCommand(bytes, version), cancellationToken);
        if (outcome.Problem is { } problem)
        {
            return Refused(text["Problem_" + problem]);
        }

        if (outcome.IsConflict)
        {
            return Conflicted(outcome, "LogoConflict");
        }

        Done = text["LogoSaved", outcome.Published!];
        return RedirectToPage(new { lang = Language });
    }

    public async Task<IActionResult> OnPostRemoveLogoAsync(int version, CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new RemoveLogoCommand(version), cancellationToken);
        if (outcome.IsConflict)
        {
            return Conflicted(outcome, "Conflict");
        }

        Done = text["LogoRemoved", outcome.Published!];
        return RedirectToPage(new { lang = Language });
    }

    /// <summary>A colour typed so far, when it is one; else the one stored (the sample never shows a broken colour).</summary>
    public HexColour Shown(string? typed, string stored) => HexColour.ParseOr(typed, HexColour.ParseOr(stored, HexColour.White));

    private PageResult Conflicted(BrandingOutcome outcome, string message)
    {
        Refusal = text[message, outcome.CurrentVersion];
        // The next save starts from the version that won, with what was typed still in the fields.
        Form.Version = outcome.CurrentVersion;
        ModelState.Remove($"{nameof(Form)}.{nameof(BrandingForm.Version)}");
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private PageResult Refused(string message)
    {
        LogoError = message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}

public sealed class BrandingForm
{
    public string? StoreName { get; set; }

    public string? PrimaryColour { get; set; }

    public string? BackgroundColour { get; set; }

    public int Version { get; set; }
}

/// <summary>
/// Refuses an upload larger than a logo may be (plus room for the form's other fields) by its
/// declared length, before anything reads the body, and answers with the branding page and its
/// message (a redirect), not a bare 413. A body without a length meets the page's
/// RequestSizeLimit instead: the server stops reading it at the same size.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LogoUploadLimitAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>The largest logo and the multipart framing, antiforgery token and version around it.</summary>
    public const long Bytes = LogoFile.MaxBytes + (64 * 1024);

    /// <summary>Before RequestSizeLimit (900) and antiforgery (1000), which reads the form.</summary>
    public int Order => -1000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (context.HttpContext.Request.ContentLength > Bytes)
        {
            context.Result = new RedirectToPageResult("/Admin/Brand/Index", new { problem = nameof(LogoProblem.TooLarge), lang = IndexModel.LanguageOf(context.HttpContext.Request) });
        }
    }
}
