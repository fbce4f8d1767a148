using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin.Stores;

/// <summary>The retailer's stores (Managers and Owners): the list, and adding one.</summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(ISender sender, IStringLocalizer<StoresText> text) : PageModel
{
    public IReadOnlyList<StoreListItem> Stores { get; private set; } = [];

    [BindProperty]
    public StoreForm Add { get; set; } = new();

    [TempData]
    public string? Done { get; set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Stores = await sender.Send(new ListStoresQuery(), HttpContext.RequestAborted);
        await next();
    }

    public void OnGet()
    {
    }

    [ValidationErrorsFor(nameof(Add))]
    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var id = await sender.Send(new AddStoreCommand(Add.Name, Add.TimeZone, Add.Address), cancellationToken);
        TempData[nameof(DetailModel.Done)] = text["StoreAdded", Add.Name!.Trim()].Value;
        return RedirectToPage("/Admin/Stores/Detail", new { id });
    }
}

/// <summary>A store's details as the add and edit forms send them.</summary>
public sealed class StoreForm
{
    public string? Name { get; set; }

    public string? TimeZone { get; set; } = StoreTimeZones.Default;

    public string? Address { get; set; }
}

/// <summary>The name, time zone and address fields, shared by the add and edit forms.</summary>
public sealed record StoreFieldsView(string Prefix, StoreForm Form);
