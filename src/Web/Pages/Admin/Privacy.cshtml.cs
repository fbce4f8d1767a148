using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Shoppers;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// A shopper's privacy request (ADR 10): find them by the email or phone they gave, download all the
/// store holds on them, or erase them. Managers and Owners; the history records who erased.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PrivacyModel(ISender sender, ActorContext actors, IStringLocalizer<AdminText> text) : PageModel
{
    [BindProperty]
    public FindShopperQuery Query { get; set; } = new(null, null);

    [BindProperty]
    public bool Confirm { get; set; }

    public string? Message { get; private set; }

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
            ModelState.AddModelError(nameof(Confirm), text["EraseUnconfirmed"]);
            return Page();
        }

        if (await sender.Send(Query, cancellationToken) is not { } contactId)
        {
            return NobodyFound();
        }

        var erased = await sender.Send(new EraseShopperCommand(contactId, actors.Current.Id, ErasureReach.AlsoTheCrm), cancellationToken);
        Message = erased.AlreadyErased
            ? text["AlreadyErased"]
            : text["Erased", erased.SignUpIds.Count, erased.ContactIds.Count];
        // The erased shopper's address is not shown back.
        ModelState.Clear();
        Query = new(null, null);
        Confirm = false;
        return Page();
    }

    /// <summary>A shopper the store does not know: said on the page (with what was typed kept), answered 404.</summary>
    private PageResult NobodyFound()
    {
        Message = text["NoSuchShopper"];
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
