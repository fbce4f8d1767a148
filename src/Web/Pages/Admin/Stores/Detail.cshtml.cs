using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Stores.ChangeStoreDetails;
using CustomerInfo.Application.Stores.CloseStore;
using CustomerInfo.Application.Stores.GetStore;
using CustomerInfo.Application.Stores.IssueKioskLink;
using CustomerInfo.Application.Stores.ReopenStore;
using CustomerInfo.Application.Stores.RevokeKioskLink;
using CustomerInfo.Application.Stores.SetStoreStaffPin;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Stores;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Stores;

/// <summary>
/// One store (Managers and Owners): its details, closing and reopening, its staff PIN, and its kiosk
/// links with their QR codes. Another tenant's store id, or none, is a 404.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(ISender sender, IStringLocalizer<StoresText> text) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public StoreDetail Store { get; private set; } = null!;

    [BindProperty]
    public StoreForm Details { get; set; } = new();

    [BindProperty]
    public string? Pin { get; set; }

    [BindProperty]
    public string? Label { get; set; }

    /// <summary>"close" or "reopen" while that waits for confirmation (?confirm=…).</summary>
    public string? Confirming { get; private set; }

    /// <summary>The link whose revocation waits for confirmation (?revoke=id), if any.</summary>
    public KioskLinkView? Revoking { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string? Refusal { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new GetStoreQuery(Id), HttpContext.RequestAborted) is not { } store)
        {
            context.Result = NotFound();
            return;
        }

        Store = store;
        if (context.HandlerMethod?.Name != "Details")
        {
            Details = new StoreForm { Name = store.Store.Name, TimeZone = store.Store.TimeZone, Address = store.Store.Address };
        }

        await next();
    }

    public void OnGet(string? confirm, Guid? revoke)
    {
        Confirming = confirm switch
        {
            "close" when Store.Store.IsActive => "close",
            "reopen" when !Store.Store.IsActive => "reopen",
            _ => null,
        };
        Revoking = Store.LiveLinks.FirstOrDefault(l => l.LinkId == revoke);
    }

    [ValidationErrorsFor(nameof(Details))]
    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new ChangeStoreDetailsCommand(Id, Details.Name, Details.TimeZone, Details.Address), cancellationToken), text["DetailsSaved"]);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new CloseStoreCommand(Id), cancellationToken), text["StoreClosed", Store.Store.Name]);

    public async Task<IActionResult> OnPostReopenAsync(CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new ReopenStoreCommand(Id), cancellationToken), text["StoreReopened", Store.Store.Name]);

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new SetStoreStaffPinCommand(Id, Pin), cancellationToken), text["PinSet"]);

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostIssueAsync(CancellationToken cancellationToken) =>
        Outcome(await sender.Send(new IssueKioskLinkCommand(Id, Label), cancellationToken), text["LinkIssued"]);

    public async Task<IActionResult> OnPostRevokeAsync(Guid linkId, CancellationToken cancellationToken)
    {
        var label = Store.LiveLinks.Concat(Store.RevokedLinks).FirstOrDefault(l => l.LinkId == linkId)?.Label ?? "";
        return Outcome(await sender.Send(new RevokeKioskLinkCommand(Id, linkId), cancellationToken), text["LinkRevoked", label], text["NoSuchLink"]);
    }

    public string QrCode(KioskLinkView link) => KioskLinkQrCode.Svg(link.Url, text["QrCodeFor", link.Label]);

    public string TimeOf(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Domain.Stores.StoreTimeZones.Find(Store.Store.TimeZone)).ToString("g", System.Globalization.CultureInfo.CurrentCulture);

    private IActionResult Outcome(StoreChangeResult result, string done, string? notFound = null)
    {
        if (result.IsDone)
        {
            Done = done;
            return RedirectToPage(new { id = Id });
        }

        (Refusal, Response.StatusCode) = result.Outcome switch
        {
            StoreChangeOutcome.StoreClosed => (text["ClosedNoLinks"].Value, StatusCodes.Status409Conflict),
            StoreChangeOutcome.Conflict => (text["Conflict"].Value, StatusCodes.Status409Conflict),
            _ => (notFound ?? text["StoreGone"].Value, StatusCodes.Status404NotFound),
        };
        return Page();
    }
}
