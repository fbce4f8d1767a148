using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Web.Shoppers;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// Development only, on a store host: export or erase one shopper of the store, found by email or
/// phone, until the retailer's admin has these (ADR 10). Every other environment answers 404.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ShopperModel(ISender sender, IHostEnvironment environment) : PageModel
{
    /// <summary>Who the history says erased the shopper: nobody is signed in on this page.</summary>
    public const string ErasedBy = "development";

    [BindProperty]
    public FindShopperQuery Query { get; set; } = new(null, null);

    [BindProperty]
    public bool Confirm { get; set; }

    public string? Message { get; private set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!environment.IsDevelopment())
        {
            context.Result = NotFound();
        }
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostExportAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(Query, cancellationToken) is not { } contactId
            || await sender.Send(new ExportShopperQuery(contactId), cancellationToken) is not { } export)
        {
            return NobodyFound();
        }

        return File(ShopperExportFile.Bytes(export), ShopperExportFile.ContentType, ShopperExportFile.Name(export));
    }

    public async Task<IActionResult> OnPostEraseAsync(CancellationToken cancellationToken)
    {
        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Tick the box to confirm: an erasure cannot be undone.");
            return Page();
        }

        if (await sender.Send(Query, cancellationToken) is not { } contactId)
        {
            return NobodyFound();
        }

        var erased = await sender.Send(new EraseShopperCommand(contactId, ErasedBy), cancellationToken);
        Message = erased.AlreadyErased
            ? "This shopper had been erased already; their events were masked again."
            : $"Erased: {erased.SignUpIds.Count} sign-up(s) of {erased.ContactIds.Count} contact(s). The history keeps that they were erased, and by whom.";
        // The erased shopper's address is not shown back.
        ModelState.Clear();
        Query = new(null, null);
        Confirm = false;
        return Page();
    }

    /// <summary>A shopper the store does not know: said on the page (with what was typed kept), answered 404.</summary>
    private PageResult NobodyFound()
    {
        Message = "This store has no shopper with that email address or phone number.";
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
