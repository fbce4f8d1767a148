using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Crm;

/// <summary>
/// The store's CRM connection (Managers and Owners): choose a CRM, enter its settings, test it, map
/// our fields to the CRM's, send the history, disconnect. Secrets are never put back into the page:
/// a stored one shows its hint, and a generated one (the webhook's signing secret) is shown once, in
/// the answer to the post that made it, which is why that answer is a page and not a redirect.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender, IStringLocalizer<CrmText> text) : PageModel
{
    public CrmConnectionView View { get; private set; } = null!;

    /// <summary>The connector whose settings form is shown: the one asked for (?kind=), else the one connected, else the first.</summary>
    public CrmConnectorInfo Chosen { get; private set; } = null!;

    [BindProperty]
    public CrmSettingsForm Form { get; set; } = new();

    [BindProperty]
    public CrmMappingForm Mapping { get; set; } = new();

    [BindProperty]
    public bool ConfirmDisconnect { get; set; }

    [TempData]
    public string? Done { get; set; }

    [TempData]
    public string? Problem { get; set; }

    /// <summary>A message about the post this page answers (not kept for the next request, unlike <see cref="Done"/> and <see cref="Problem"/>).</summary>
    public string? Notice { get; private set; }

    public string? Refusal { get; private set; }

    /// <summary>Secrets made by the connect just posted: shown once, on this answer only.</summary>
    public IReadOnlyDictionary<string, string> Generated { get; private set; } = new Dictionary<string, string>();

    public CrmCatalogResult? Catalog { get; private set; }

    public string? Language => Request.Query["lang"].FirstOrDefault() is { } lang && FormLanguages.IsOffered(lang) ? lang : null;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        View = await sender.Send(new GetCrmConnectionQuery(), HttpContext.RequestAborted);
        var asked = context.HandlerMethod?.Name == "Connect" ? Form.Kind : Request.Query["kind"].FirstOrDefault();
        Chosen = View.Connectors.FirstOrDefault(c => c.Kind == asked) ?? View.Connector ?? View.Connectors[0];
        if (context.HandlerMethod?.Name != "Connect")
        {
            Form = new CrmSettingsForm { Kind = Chosen.Kind };
            if (View.Current is { } current && current.Kind == Chosen.Kind)
            {
                foreach (var (key, value) in current.Settings)
                {
                    Form.Settings[key] = value;
                }
            }
        }

        // Whenever the answer is the page (a GET, or a post shown again with its errors), the mapping needs the CRM's fields.
        var executed = await next();
        if (executed.Result is PageResult || (executed.Result is null && executed.Exception is null))
        {
            await LoadCatalogAsync(HttpContext.RequestAborted);
        }
    }

    public void OnGet()
    {
    }

    [ValidationErrorsFor(nameof(Form))]
    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new ConnectCrmCommand(Form.Kind, Form.Settings, Form.NewSecrets), cancellationToken);
        if (outcome.Refused is { } refused)
        {
            Refusal = text["ConnectRefused", Reason(refused)];
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var name = DisplayName(Chosen);
        var done = outcome.Switched ? text["Switched", name] : outcome.QueuedWaiting ? text["ConnectedFirst", name] : outcome.RequeuedRefused ? text["SavedRequeued", name] : text["Saved", name];
        if (outcome.Generated.Count == 0)
        {
            Done = done;
            return RedirectToPage(new { lang = Language });
        }

        // The secret is shown in this answer and nowhere else: no redirect, no TempData, not cached.
        Generated = outcome.Generated;
        Notice = done;
        View = await sender.Send(new GetCrmConnectionQuery(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new TestCrmConnectionCommand(), cancellationToken);
        if (outcome.Result is not { } result)
        {
            Problem = text["NotConnected"];
        }
        else if (result.Succeeded)
        {
            Done = outcome.RequeuedRefused ? text["TestPassedRequeued", DisplayName(Chosen)] : text["TestPassed", DisplayName(Chosen)];
        }
        else
        {
            Problem = text["TestFailed", Reason(result)];
        }

        return RedirectToPage(new { lang = Language });
    }

    [ValidationErrorsFor(nameof(Mapping))]
    public async Task<IActionResult> OnPostMappingAsync(CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new SaveCrmMappingCommand(Mapping.Targets, Mapping.ListId), cancellationToken);
        if (outcome.NotConnected)
        {
            Problem = text["NotConnected"];
        }
        else if (outcome.CatalogFailed is { } failed)
        {
            Problem = text["CatalogFailed", Reason(failed)];
        }
        else
        {
            Done = text["MappingSaved"];
        }

        return RedirectToPage(new { lang = Language });
    }

    public async Task<IActionResult> OnPostHistoryAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new SendCrmHistoryCommand(), cancellationToken))
        {
            Done = text["HistoryQueued", DisplayName(Chosen)];
        }
        else
        {
            Problem = text["NotConnected"];
        }

        return RedirectToPage(new { lang = Language });
    }

    /// <summary>Try a failed CRM erasure again (one job, ids only); the page says whether it was queued or why not.</summary>
    /// <summary>A result's reason in the page's language: our framing translated, the CRM's own words as they came.</summary>
    private static string Reason(CrmResult result) =>
        CrmProblemText.Show(result.Reason, result.Problem, System.Globalization.CultureInfo.CurrentUICulture) ?? string.Empty;

    public async Task<IActionResult> OnPostRetryErasureAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = id == Guid.Empty ? RetryCrmErasureOutcome.NotFound : await sender.Send(new RetryCrmErasureCommand(id), cancellationToken);
        if (outcome == RetryCrmErasureOutcome.Queued)
        {
            Done = text["ErasureRetry_Queued"];
        }
        else
        {
            Problem = text["ErasureRetry_" + outcome];
        }

        return RedirectToPage(new { lang = Language });
    }

    /// <summary>Try every failed CRM erasure again that a retry can reach (one job each, ids only); the page says how many were queued.</summary>
    public async Task<IActionResult> OnPostRetryErasuresAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new RetryFailedCrmErasuresCommand(), cancellationToken);
        if (result.Queued > 0)
        {
            Done = result.CannotRetry == 0
                ? text[result.Queued == 1 ? "ErasuresRetry_QueuedOne" : "ErasuresRetry_Queued", result.Queued]
                : text[result.Queued == 1 ? "ErasuresRetry_QueuedOneSomeNot" : "ErasuresRetry_QueuedSomeNot", result.Queued, result.CannotRetry];
        }
        else
        {
            Problem = text[result.CannotRetry > 0 ? "ErasuresRetry_NoneRetryable" : "ErasuresRetry_NoneFailed"];
        }

        return RedirectToPage(new { lang = Language });
    }

    public async Task<IActionResult> OnPostDisconnectAsync(CancellationToken cancellationToken)
    {
        if (!ConfirmDisconnect)
        {
            ModelState.AddModelError(nameof(ConfirmDisconnect), text["DisconnectUnconfirmed"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Done = await sender.Send(new DisconnectCrmCommand(), cancellationToken) ? text["Disconnected"] : text["NotConnected"];
        return RedirectToPage(new { lang = Language });
    }

    public string DisplayName(CrmConnectorInfo connector) => Words("Kind_" + connector.Kind) ?? connector.DisplayName;

    /// <summary>A text of this page when the resx has one (a connector added later may not have its own words yet).</summary>
    public string? Words(string key) => text[key] is { ResourceNotFound: false } found ? found.Value : null;

    private async Task LoadCatalogAsync(CancellationToken cancellationToken)
    {
        if (Catalog is null && View.Connected && View.Connector is { } connector && (connector.MapsFields || connector.HasLists))
        {
            Catalog = await sender.Send(new GetCrmCatalogQuery(), cancellationToken);
        }
    }
}

public sealed class CrmSettingsForm
{
    public string? Kind { get; set; }

    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.Ordinal);

    public bool NewSecrets { get; set; }
}

public sealed class CrmMappingForm
{
    public Dictionary<string, string?> Targets { get; set; } = new(StringComparer.Ordinal);

    public string? ListId { get; set; }
}
