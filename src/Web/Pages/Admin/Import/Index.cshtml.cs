using CustomerInfo.Application.Import;
using CustomerInfo.Application.Import.ListImports;
using CustomerInfo.Application.Import.UploadImport;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Import;

/// <summary>
/// Uploading a customer list (Managers and Owners), and the imports so far. A body over the limit is
/// refused before anything reads it (RequestBodyLimit runs before antiforgery) and answered with this
/// page and the reason, never a bare 413.
/// </summary>
[RequestBodyLimit(UploadBytes, RefusedRedirect = "/admin/import?refused=" + TooLarge)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadBytes, ValueCountLimit = 16)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender, IStringLocalizer<ImportText> text) : PageModel
{
    /// <summary>The largest file accepted.</summary>
    public const long FileBytes = 20L * 1024 * 1024;

    /// <summary>The file plus the multipart framing, the file name and the antiforgery token.</summary>
    public const long UploadBytes = FileBytes + (64 * 1024);

    private const string TooLarge = "TooLarge";
    private const string NoFile = "NoFile";

    public IReadOnlyList<ImportRun> Imports { get; private set; } = [];

    public AdminTimes Times { get; private set; } = new(Domain.Stores.StoreTimeZones.Default);

    public string? Refusal { get; private set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public async Task OnGetAsync(string? refused, CancellationToken cancellationToken)
    {
        if (refused is TooLarge or NoFile || Enum.TryParse<UploadRefusal>(refused, out _))
        {
            Refusal = text["Refused_" + refused];
        }

        await ListAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Upload is null)
        {
            return await RefuseAsync(NoFile, cancellationToken);
        }

        if (Upload.Length > FileBytes)
        {
            return await RefuseAsync(TooLarge, cancellationToken);
        }

        await using var content = Upload.OpenReadStream();
        var result = await sender.Send(new UploadImportCommand(Upload.FileName, content), cancellationToken);
        return result.ImportId is { } id
            ? RedirectToPage("/Admin/Import/Detail", new { id })
            : await RefuseAsync(result.Refused!.Value.ToString(), cancellationToken);
    }

    private async Task<IActionResult> RefuseAsync(string reason, CancellationToken cancellationToken)
    {
        Refusal = text["Refused_" + reason];
        await ListAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var list = await sender.Send(new ListImportsQuery(), cancellationToken);
        Imports = list.Runs;
        Times = new AdminTimes(list.TimeZone);
    }
}
