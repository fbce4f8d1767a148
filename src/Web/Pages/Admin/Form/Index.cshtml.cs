using System.Globalization;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.FormDrafts;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Form;

/// <summary>
/// The form builder (Managers and Owners). Every button saves the draft first, so nothing typed is
/// lost: the move and add/remove buttons (which work without JavaScript), "update preview", and
/// publishing, whose rules are those of <see cref="PublishFormDefinitionValidator"/> and whose
/// failures come back next to their fields. A publish from an older version than the one live says
/// which version won and offers to publish over it or load it.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.FormBuilderBytes)]
[RequestFormLimits(ValueCountLimit = MaxFormValues)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed partial class IndexModel(ISender sender, IStringLocalizer<FormBuilderText> text) : PageModel
{
    /// <summary>Enough for 30 questions of 20 options in every language, with room to spare for a post of too many (which the rules refuse).</summary>
    public const int MaxFormValues = 8000;

    /// <summary>The header the preview script sends with its saves: it wants no page back, only the draft kept.</summary>
    public const string BackgroundSaveHeader = "X-Form-Draft";

    [BindProperty]
    public FormEditor Editor { get; set; } = new();

    [FromQuery(Name = "lang")]
    public string? Lang { get; set; }

    /// <summary>The language the preview shows (<c>?preview=nl</c>), one the form offers.</summary>
    [FromQuery(Name = "preview")]
    public string? Preview { get; set; }

    public FormBuilderState State { get; private set; } = null!;

    /// <summary>The version someone published after this draft was started; null when there is none.</summary>
    public int? Conflict { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string PreviewLanguage => FormLanguages.IsOffered(Preview) ? Preview : State.Editing.DefaultLanguage is var l && FormLanguages.IsOffered(l) ? l : FormLanguages.English;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        State = await sender.Send(new GetFormBuilderQuery(), HttpContext.RequestAborted);
        await next();
    }

    public void OnGet()
    {
        Editor = FormEditor.From(State.Editing, State.BasedOnVersion);
        Conflict = State.DraftIsBehind ? State.Published.Version : null;
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var fragment = Fragment(Editor.Action);
        var definition = Editor.Apply().ToDefinition(State.Published);
        await sender.Send(new SaveFormDraftCommand(definition, Editor.BasedOn), cancellationToken);
        if (Request.Headers.ContainsKey(BackgroundSaveHeader))
        {
            return new NoContentResult();
        }

        Done = string.IsNullOrEmpty(Editor.Action) ? text["DraftSaved"].Value : null;
        return Redirect(Url.Page("/Admin/Form/Index", null, new { lang = Lang, preview = Preview }) + fragment);
    }

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostPublishAsync(int? over, CancellationToken cancellationToken)
    {
        var definition = Editor.ToDefinition(State.Published);
        var basedOn = over ?? Editor.BasedOn;
        Editor.BasedOnVersion = basedOn.ToString(CultureInfo.InvariantCulture);
        await sender.Send(new SaveFormDraftCommand(definition, basedOn), cancellationToken);
        var outcome = await sender.Send(new PublishFormDefinitionCommand(definition, basedOn), cancellationToken);
        if (outcome.IsConflict)
        {
            Conflict = outcome.CurrentVersion;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await sender.Send(new DiscardFormDraftCommand(), cancellationToken);
        Done = text["LiveVersion", outcome.Published!.Value];
        return RedirectToPage(new { lang = Lang, preview = Preview });
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new DiscardFormDraftCommand(), cancellationToken);
        Done = text["Discarded", State.Published.Version];
        return RedirectToPage(new { lang = Lang, preview = Preview });
    }

    /// <summary>The first error of a rule, by the validator's property name (<c>Definition.Questions[0].Label</c>).</summary>
    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>Every error, with the id of the field it belongs to, for the summary at the top.</summary>
    public IReadOnlyList<(string Message, string? FieldId)> Errors() =>
        [.. ModelState.Where(e => e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(error => (error.ErrorMessage, FieldIdOf(e.Key))))
            .Distinct()];

    /// <summary>The id of the input a rule's property name points at, as the page writes them.</summary>
    public static string? FieldIdOf(string key)
    {
        var option = OptionKey().Match(key);
        if (option.Success)
        {
            return $"q{option.Groups[1].Value}-o{option.Groups[2].Value}-{FormLanguages.All[0]}";
        }

        var question = QuestionKey().Match(key);
        if (question.Success)
        {
            return question.Groups[2].Value == ".Options" ? $"q{question.Groups[1].Value}-options" : $"q{question.Groups[1].Value}-label-{FormLanguages.All[0]}";
        }

        return key switch
        {
            "Definition.Fields" => "fields",
            "Definition.Questions" => "questions",
            "Definition.EmailConsent" => $"email-consent-{FormLanguages.All[0]}",
            "Definition.SmsConsent" => $"sms-consent-{FormLanguages.All[0]}",
            "Definition.Branding.Welcome" => $"welcome-{FormLanguages.All[0]}",
            "Definition.Branding.ThankYou" => $"thank-you-{FormLanguages.All[0]}",
            "Definition.ThankYouSeconds" => "thank-you-seconds",
            "Definition.IdleSeconds" => "idle-seconds",
            "Definition.DefaultLanguage" => "default-language",
            "Definition.Country" => "country",
            _ => null,
        };
    }

    /// <summary>Where the page should scroll back to after a button: the question it moved or changed.</summary>
    private static string Fragment(string? action)
    {
        var parts = (action ?? "").Split(':');
        return parts[0] switch
        {
            "field-up" or "field-down" => "#fields",
            "add-question" => "#questions-end",
            _ when parts.Length > 1 && parts[0].Contains("question", StringComparison.Ordinal) => "#questions",
            "remove-option" when parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var q) => $"#question-{q}",
            _ => "",
        };
    }

    [GeneratedRegex(@"^Definition\.Questions\[(\d+)\]\.Options\[(\d+)\]")]
    private static partial Regex OptionKey();

    [GeneratedRegex(@"^Definition\.Questions\[(\d+)\](\.Options|\.Label|\.Key)?")]
    private static partial Regex QuestionKey();
}
