using System.Globalization;
using CsvHelper;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Import;
using CustomerInfo.Application.Import.GetImport;
using CustomerInfo.Application.Import.StartImport;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Pages.Admin.SignUps;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Import;

/// <summary>
/// One import: before it starts, the preview and the column mapping; while it runs, its progress
/// (a JSON handler polled by import-progress.js; a Refresh link without script); then the report,
/// with the rows not imported, also as a CSV download.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(ISender sender, ITenantContext tenant, FormDefinitions definitions, IStringLocalizer<ImportText> text) : PageModel
{
    public ImportView View { get; private set; } = null!;

    public AdminTimes Times => new(View.TimeZone);

    public ImportRun Run => View.Run;

    /// <summary>The form's country, which the phone numbers were read for (named in the phone error).</summary>
    public string Country { get; private set; } = "NL";

    [BindProperty]
    public List<ImportField> Mapping { get; set; } = [];

    [BindProperty]
    public bool SendToCrm { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var id = context.RouteData.Values["id"] is string raw && Guid.TryParse(raw, out var parsed) ? parsed : Guid.Empty;
        var handler = context.HandlerMethod?.Name;
        if (await sender.Send(new GetImportQuery(id, WithPreview: handler is null or ""), HttpContext.RequestAborted) is not { } view)
        {
            context.Result = NotFound();
            return;
        }

        View = view;
        Country = (await definitions.CurrentAsync(tenant.RequiredTenant, HttpContext.RequestAborted)).Country;
        if (HttpMethods.IsGet(Request.Method))
        {
            Mapping = [.. view.Run.Mapping];
        }

        await next();
    }

    public void OnGet()
    {
    }

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostStartAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await sender.Send(new StartImportCommand(id, Mapping, SendToCrm), cancellationToken);
        return outcome == StartImportOutcome.NotFound ? NotFound() : RedirectToPage("/Admin/Import/Detail", new { id });
    }

    /// <summary>What the progress script polls: counts only, never a shopper's details.</summary>
    public JsonResult OnGetProgress() => new(new
    {
        status = Run.Status.ToString(),
        finished = Run.IsFinished,
        rowsDone = Run.RowsDone,
        rowsTotal = Run.RowsTotal,
        imported = Run.Imported,
        alreadyThere = Run.AlreadyThere,
        errors = Run.ErrorCount,
        text = ProgressText,
    });

    /// <summary>The rows not imported as a CSV file, in the admin's language, every cell neutralised as the sign-up export does.</summary>
    public async Task<IActionResult> OnGetErrorsAsync(CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        await using (var csv = CsvWriter.Create(body, CsvWriterOptions.Default with { Injection = CsvInjection.None, WriteByteOrderMark = true }, leaveOpen: true))
        {
            foreach (var header in new[] { text["RowColumn"].Value, text["FieldColumn"].Value, text["ReasonColumn"].Value })
            {
                csv.WriteField(SignUpsCsv.Neutralise(header));
            }

            await csv.EndRecordAsync(cancellationToken);
            foreach (var error in Run.Errors)
            {
                csv.WriteField(error.Row.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(SignUpsCsv.Neutralise(FieldName(error.Field)));
                csv.WriteField(SignUpsCsv.Neutralise(Reason(error)));
                await csv.EndRecordAsync(cancellationToken);
            }
        }

        body.Position = 0;
        var name = Path.GetFileNameWithoutExtension(Run.FileName);
        return File(body, SignUpsCsv.ContentType, $"errors-{(name.Length == 0 ? "import" : name)}.csv");
    }

    public string ProgressText =>
        string.Format(CultureInfo.CurrentCulture, text["ProgressText"].Value, Run.RowsDone.ToString("N0", CultureInfo.CurrentCulture), Run.RowsTotal.ToString("N0", CultureInfo.CurrentCulture));

    public string FieldName(ImportField field) => text["Field_" + field].Value;

    public string Reason(ImportRowError error) =>
        string.Format(CultureInfo.CurrentCulture, text["Problem_" + error.Problem].Value, Country);

    /// <summary>The first few values of a column in the preview, for the mapping table.</summary>
    public string Examples(int column) =>
        string.Join(" · ", View.Preview.Select(r => column < r.Count ? r[column] : null).Where(v => !string.IsNullOrWhiteSpace(v)).Take(3));
}
