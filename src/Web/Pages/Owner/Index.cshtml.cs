using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Web.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Owner;

/// <summary>The stores, and each store's staff PIN until retailers set their own (a later issue).</summary>
public sealed class IndexModel(ISender sender, IStaffPins pins, IOptions<AppOptions> app) : PageModel
{
    public IReadOnlyList<Tenant> Stores { get; private set; } = [];

    /// <summary>When each store's PIN was set; a store without a PIN is missing.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> PinSetAt { get; private set; } = new Dictionary<Guid, DateTimeOffset>();

    public string RootDomain { get; } = app.Value.RootDomain;

    [BindProperty]
    public StaffPinInput Input { get; set; } = new();

    [TempData]
    public string? Done { get; set; }

    /// <summary>Before every handler, so a form shown again with errors still lists the stores.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Stores = await sender.Send(new ListTenantsQuery(), cancellationToken);
        var setAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var store in Stores)
        {
            if (await pins.FindAsync(store.Id, cancellationToken) is { } pin)
            {
                setAt[store.Id] = pin.SetAt;
            }
        }

        PinSetAt = setAt;
        await next();
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (!await sender.Send(new SetStaffPinCommand(Input.TenantId, Input.Pin ?? ""), cancellationToken))
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.Pin)}", "This store does not exist any more.");
            return Page();
        }

        var store = Stores.FirstOrDefault(s => s.Id == Input.TenantId);
        Done = $"The staff PIN of {store?.Name ?? "the store"} is set.";
        return RedirectToPage();
    }

    public string StoreUrl(string identifier)
    {
        var port = Request.Host.Port is { } p ? ":" + p : "";
        return $"{Request.Scheme}://{identifier}.{RootDomain}{port}/";
    }

    /// <summary>Errors of a PIN form sent for no store in the list (a store gone, a mangled form): shown above it.</summary>
    public IEnumerable<string> UnplacedPinErrors =>
        Stores.Any(s => s.Id == Input.TenantId) ? [] : PinErrorsFor(Input.TenantId);

    /// <summary>The errors of the PIN form, shown beside the store it was sent for.</summary>
    public IEnumerable<string> PinErrorsFor(Guid tenantId) =>
        Input.TenantId != tenantId
            ? []
            : ModelState.Where(e => e.Key.StartsWith(nameof(Input), StringComparison.Ordinal)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage);
}

/// <summary>The owner console's PIN form: a store and its new PIN.</summary>
public sealed class StaffPinInput
{
    public Guid TenantId { get; set; }

    public string? Pin { get; set; }
}
