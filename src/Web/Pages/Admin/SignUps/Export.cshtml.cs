using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.SignUps;

/// <summary>
/// The filtered list as a CSV download (Managers and Owners), streamed: each batch of rows is
/// written and flushed as it is read, and the export is recorded when the last row is out (or the
/// download broke off). A filter that cannot be read gets this page with the reason instead.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ExportModel(ISender sender, ITenantContext tenant, IDataProtectionProvider protection, IStringLocalizer<SignUpsText> text) : SignUpFilterPage
{
    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnGetAsync(string? s, CancellationToken cancellationToken)
    {
        string? search = null;
        if (s is not null && (search = SignUpLinks.ReadSearch(protection, tenant.RequiredTenant.Id, s)) is null)
        {
            ModelState.AddModelError("s", text["SearchLinkInvalid"]);
            return Page();
        }

        if (!TryReadFilter(search, text, out var filter))
        {
            return Page();
        }

        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var export = await sender.Send(new ExportSignUpsQuery(filter, language), cancellationToken);
        return new CsvDownload(export, filter, Headers(export.CrmConnected));
    }

    private CsvHeaders Headers(bool crmConnected)
    {
        var pushWords = Enum.GetValues<CrmPushStatus>().ToDictionary(s => s, s => text[PushStatusView.TextKey(s, crmConnected)].Value);
        return new(
            [text["FirstName"], text["LastName"], text["EmailColumn"], text["PhoneColumn"], text["Birthday"], text["PostalCode"]],
            [text["EmailConsentLabel"], text["SmsConsentLabel"], text["StoreColumn"], text["ReceivedLocalColumn"], text["TimeZoneColumn"], text["PushStatusColumn"], text["CrmRecordIdColumn"]],
            text["Yes"],
            text["No"],
            status => pushWords[status]);
    }

    /// <summary>Writes the file straight into the response body, then records the export.</summary>
    private sealed class CsvDownload(SignUpExport export, SignUpFilter filter, CsvHeaders headers) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            context.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            response.ContentType = SignUpsCsv.ContentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{SignUpsCsv.FileName(export)}\"";
            response.Headers.CacheControl = "no-store";

            var sender = context.HttpContext.RequestServices.GetRequiredService<ISender>();
            var rows = new StrongBox<int>();
            var completed = false;
            try
            {
                await SignUpsCsv.WriteAsync(response.Body, export, headers, rows, context.HttpContext.RequestAborted);
                completed = true;
            }
            finally
            {
                // Rows already sent were handed out even when the download broke off: recorded too.
                await sender.Send(new RecordSignUpsExportCommand(export.ExportId, filter, rows.Value, completed), CancellationToken.None);
            }
        }
    }
}
