using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Application.Shoppers.Retention;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
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
public sealed class PrivacyModel(ISender sender, ActorContext actors, ITenantContext tenant, IStringLocalizer<AdminText> text) : PageModel
{
    /// <summary>The retention the Owner chooses: months as text ("24"), or <see cref="UntilErased"/>.</summary>
    public const string UntilErased = "until-erased";

    [BindProperty]
    public string? Retention { get; set; }

    /// <summary>How long the store keeps shoppers now, in months (null: until erased).</summary>
    public int? RetentionMonths => (changed ?? tenant.RequiredTenant).RetentionMonths;

    private Tenant? changed;

    public bool MayChooseRetention => actors.Current.Role is { } role && role.Grants(TeamRole.Owner);

    public string? RetentionMessage { get; private set; }

    /// <summary>The page's language when one was asked for (<c>?lang=nl</c>), kept by its forms.</summary>
    public string? Language => Request.Query["lang"].FirstOrDefault() is { } lang && FormLanguages.IsOffered(lang) ? lang : null;

    [BindProperty]
    public FindShopperQuery Query { get; set; } = new(null, null);

    [BindProperty]
    public bool Confirm { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>The Owner's retention choice; Managers see it and cannot change it (403).</summary>
    public async Task<IActionResult> OnPostRetentionAsync(CancellationToken cancellationToken)
    {
        if (!MayChooseRetention)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        int? months = Retention == UntilErased ? null : int.TryParse(Retention, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var chosen) ? chosen : -1;
        if (!ShopperRetention.IsChoice(months))
        {
            ModelState.AddModelError(nameof(Retention), text["RetentionInvalid"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var change = await sender.Send(new SetRetentionCommand(months), cancellationToken);
        changed = change.Tenant;
        RetentionMessage = change.Outcome == TenantChangeOutcome.Refused ? text["RetentionRefused"] : text["RetentionSaved"];
        return Page();
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
