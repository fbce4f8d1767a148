using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Contacts.GetContactDetail;
using CustomerInfo.Application.Contacts.WithdrawConsent;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Shoppers;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Contacts;

/// <summary>
/// One contact: details, consents with their proof, sign-ups and the contacts merged into it. A
/// Manager records a withdrawn consent here, and (each after a confirmation) downloads or erases
/// the shopper's data with the use cases of the privacy page.
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DetailModel(ISender sender, ActorContext actors, IStringLocalizer<ContactsText> text) : PageModel
{
    public ContactDetail? Detail { get; private set; }

    /// <summary>"export" or "erase": the step waiting for confirmation.</summary>
    public string? Confirming { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string? Refusal { get; private set; }

    public AdminTimes Times => new(Detail?.TimeZone ?? Domain.Stores.StoreTimeZones.Default);

    public async Task<IActionResult> OnGetAsync(Guid id, string? confirm, CancellationToken cancellationToken)
    {
        Detail = await sender.Send(new GetContactDetailQuery(id), cancellationToken);
        if (Detail is null)
        {
            return NotFound();
        }

        if (Detail.MergedInto is { } survivor)
        {
            return Redirect($"/admin/contacts/{survivor}");
        }

        Confirming = confirm is "export" or "erase" && Detail.Contact.ErasedAt is null ? confirm : null;
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, string? channel, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ConsentChannel>(channel, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
        {
            Refusal = text["ChooseChannel"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await OnGetAsync(id, null, cancellationToken) is NotFoundResult ? NotFound() : Page();
        }

        var outcome = await sender.Send(new WithdrawConsentCommand(id, parsed), cancellationToken);
        if (outcome == WithdrawConsentOutcome.NotFound)
        {
            return NotFound();
        }

        Done = text[outcome == WithdrawConsentOutcome.Withdrawn ? "Withdrawn_" + parsed : "NothingToWithdraw_" + parsed];
        return Redirect($"/admin/contacts/{id}");
    }

    public async Task<IActionResult> OnPostExportAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await sender.Send(new ExportShopperQuery(id), cancellationToken) is not { } export)
        {
            return NotFound();
        }

        return File(ShopperExportFile.Bytes(export), ShopperExportFile.ContentType, ShopperExportFile.Name(export));
    }

    public async Task<IActionResult> OnPostEraseAsync(Guid id, CancellationToken cancellationToken)
    {
        var erased = await sender.Send(new EraseShopperCommand(id, actors.Current.Id, ErasureReach.AlsoTheCrm), cancellationToken);
        if (!erased.Found)
        {
            return NotFound();
        }

        Done = erased.AlreadyErased ? text["AlreadyErased"] : text["Erased", erased.SignUpIds.Count];
        return Redirect($"/admin/contacts/{id}");
    }
}
