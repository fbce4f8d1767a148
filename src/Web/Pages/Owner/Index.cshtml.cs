using System.Globalization;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.GetBillingOverview;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Team.InviteFirstOwner;
using CustomerInfo.Application.Team.ListTeams;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Application.Tenants.ReactivateTenant;
using CustomerInfo.Application.Tenants.SetCustomPrice;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Application.Tenants.SuspendTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Web.Tenancy;
using CustomerInfo.Web.Validation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Owner;

/// <summary>
/// The stores: create one, see each one's state, plan, usage and revenue, suspend and reactivate it,
/// give it its own price, and set its staff PIN until retailers set their own (a later issue).
/// </summary>
public sealed class IndexModel(ISender sender, IStaffPins pins, IClock clock, IOptions<AppOptions> app, IOptions<BillingOptions> billing) : PageModel
{
    public IReadOnlyList<Tenant> Stores { get; private set; } = [];

    /// <summary>What each store pays and uses, and the totals above the table.</summary>
    public BillingOverview Billing { get; private set; } = new([], 0, 0, 0, 0);

    public IReadOnlyDictionary<Guid, TenantBilling> BillingOf { get; private set; } = new Dictionary<Guid, TenantBilling>();

    [BindProperty]
    public CustomPriceInput Price { get; set; } = new();

    /// <summary>When each store's PIN was set; a store without a PIN is missing.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> PinSetAt { get; private set; } = new Dictionary<Guid, DateTimeOffset>();

    public string RootDomain { get; } = app.Value.RootDomain;

    /// <summary>Each store's team: Owners, members, open invitations.</summary>
    public IReadOnlyDictionary<Guid, TeamSummary> Teams { get; private set; } = new Dictionary<Guid, TeamSummary>();

    [BindProperty]
    public FirstOwnerInput Owner { get; set; } = new();

    public DateTimeOffset Now { get; } = clock.UtcNow;

    [BindProperty]
    public StaffPinInput Input { get; set; } = new();

    [BindProperty]
    public NewStoreInput Create { get; set; } = new();

    [TempData]
    public string? Done { get; set; }

    /// <summary>A suspension or reactivation the lifecycle refused, shown after the redirect.</summary>
    [TempData]
    public string? Problem { get; set; }

    /// <summary>Before every handler, so a form shown again with errors still lists the stores.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var cancellationToken = HttpContext.RequestAborted;
        Billing = await sender.Send(new GetBillingOverviewQuery(), cancellationToken);
        Stores = Billing.Tenants.Select(t => t.Tenant).ToList();
        BillingOf = Billing.Tenants.ToDictionary(t => t.Tenant.Id);
        var setAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var store in Stores)
        {
            if (await pins.FindAsync(store.Id, cancellationToken) is { } pin)
            {
                setAt[store.Id] = pin.SetAt;
            }
        }

        PinSetAt = setAt;
        Teams = await sender.Send(new ListTeamsQuery(Stores.Select(st => st.Id).ToList()), cancellationToken);

        // A forged "no trial" that is no boolean counts as unticked: left in ModelState, the checkbox's tag
        // helper would throw a FormatException when any form of the page is shown again with errors (a 500).
        const string noTrial = $"{nameof(Create)}.{nameof(Create.NoTrial)}";
        if (ModelState.GetFieldValidationState(noTrial) == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            ModelState.Remove(noTrial);
        }

        await next();
    }

    public void OnGet()
    {
    }

    [ValidationErrorsFor(nameof(Create))]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(new OnboardTenantCommand(Create.Subdomain, Create.Name, Create.NoTrial), cancellationToken);
        Done = Create.NoTrial
            ? $"{Create.Name?.Trim()} is on the platform at {result.Identifier}.{RootDomain}, without a trial."
            : $"{Create.Name?.Trim()} is on the platform at {result.Identifier}.{RootDomain}, on a trial.";
        return RedirectToPage();
    }

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostSuspendAsync(Guid tenantId, CancellationToken cancellationToken) =>
        Report(await sender.Send(new SuspendTenantCommand(tenantId), cancellationToken), "is suspended: its kiosk shows the unavailable page");

    [ValidationErrorsFor("")]
    public async Task<IActionResult> OnPostReactivateAsync(Guid tenantId, CancellationToken cancellationToken) =>
        Report(await sender.Send(new ReactivateTenantCommand(tenantId), cancellationToken), "is reactivated");

    [ValidationErrorsFor(nameof(Price))]
    public async Task<IActionResult> OnPostPriceAsync(CancellationToken cancellationToken)
    {
        var change = await sender.Send(new SetCustomPriceCommand(Price.TenantId, Price.StorePriceId, Price.PricePerStore), cancellationToken);
        var done = change.Tenant?.CustomStorePriceId is { } priceId
            ? $"pays its own price from now on: {priceId}, {Money(change.Tenant.CustomPricePerStore ?? 0)} per store per month"
            : "pays its plan's price again";
        return Report(change, done);
    }

    [ValidationErrorsFor(nameof(Owner))]
    public async Task<IActionResult> OnPostInviteOwnerAsync(CancellationToken cancellationToken)
    {
        var store = Stores.FirstOrDefault(s => s.Id == Owner.TenantId);
        switch (await sender.Send(new InviteFirstOwnerCommand(Owner.TenantId, Owner.Email), cancellationToken))
        {
            case InviteFirstOwnerResult.Invited:
                Done = $"An invitation to be the Owner of {store?.Name ?? "the store"} is on its way to {Owner.Email!.Trim()}. The link works for 7 days.";
                return RedirectToPage();
            case InviteFirstOwnerResult.AlreadyInTeam:
                ModelState.AddModelError($"{nameof(Owner)}.{nameof(Owner.Email)}", "This person is already in the store's team.");
                return Page();
            default:
                ModelState.AddModelError($"{nameof(Owner)}.{nameof(Owner.Email)}", "This store does not exist any more.");
                return Page();
        }
    }

    /// <summary>The errors of the first-Owner form, shown beside the store it was sent for.</summary>
    public IEnumerable<string> OwnerErrorsFor(Guid tenantId) =>
        Owner.TenantId != tenantId
            ? []
            : ModelState.Where(e => e.Key.StartsWith(nameof(Owner), StringComparison.Ordinal)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage);

    [ValidationErrorsFor(nameof(Input))]
    public async Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>The state as the owner needs it: a trial past its deadline is over even before the hourly job records it.</summary>
    public static string StateOf(Tenant tenant, DateTimeOffset now) => tenant.Status switch
    {
        TenantStatus.Trialing when tenant.TrialEndsAt <= now => "Trial ended",
        TenantStatus.Trialing => "Trial",
        TenantStatus.Active => "Active",
        TenantStatus.PastDue => "Past due",
        TenantStatus.Suspended => "Suspended",
        TenantStatus.Canceled => "Canceled",
        TenantStatus.TrialEnded => "Trial ended",
        TenantStatus.Unpaid => "Unpaid",
        _ => tenant.Status.ToString(),
    };

    /// <summary>What the state means next: the grace deadline, the erasure's date, the trial's end.</summary>
    public string? StateDetailOf(Tenant tenant) => tenant.Status switch
    {
        TenantStatus.PastDue when tenant.GraceEndsAt is { } graceEnds => $"Grace until {graceEnds:yyyy-MM-dd}",
        TenantStatus.Unpaid => "Grace over: kiosk closed until paid",
        TenantStatus.Canceled when tenant.DataErasedAt is { } erasedAt => $"Ended {tenant.CanceledAt:yyyy-MM-dd}; data erased {erasedAt:yyyy-MM-dd}",
        TenantStatus.Canceled when tenant.CanceledAt is { } canceledAt => $"Ended {canceledAt:yyyy-MM-dd}; data erased from {canceledAt.AddDays(billing.Value.ReadOnlyDays):yyyy-MM-dd}",
        _ => null,
    };

    /// <summary>The plan as the console shows it: its name, or the tenant's own price.</summary>
    public static string PlanOf(TenantBilling row) =>
        row.OwnPrice ? $"Own price: {Money(row.Tenant.CustomPricePerStore ?? 0)} per store" : row.Plan?.Name ?? (row.Tenant.PlanId is { } unknown ? $"{unknown} (not configured)" : "No plan");

    /// <summary>Amounts in euros, as the plans are priced; the console is for the platform owner, in English.</summary>
    public static string Money(decimal amount) => "€" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>The errors of the own-price form, shown beside the store it was sent for.</summary>
    public IEnumerable<string> PriceErrorsFor(Guid tenantId) =>
        Price.TenantId != tenantId
            ? []
            : ModelState.Where(e => e.Key.StartsWith(nameof(Price), StringComparison.Ordinal)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage);

    public static string BadgeOf(Tenant tenant, DateTimeOffset now) => StateOf(tenant, now).Replace(' ', '-').ToLowerInvariant();

    /// <summary>Errors of a form sent for no store in the list (a store gone, a mangled form), or of no form: shown above the table.</summary>
    public IEnumerable<string> UnplacedErrors =>
        (Stores.Any(s => s.Id == Input.TenantId) ? [] : PinErrorsFor(Input.TenantId))
            .Concat(Stores.Any(s => s.Id == Price.TenantId) ? [] : PriceErrorsFor(Price.TenantId))
            .Concat(ModelState.Where(e => !e.Key.StartsWith(nameof(Input), StringComparison.Ordinal) && !e.Key.StartsWith(nameof(Create), StringComparison.Ordinal) && !e.Key.StartsWith(nameof(Price), StringComparison.Ordinal))
                .SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage));

    /// <summary>The errors of the PIN form, shown beside the store it was sent for.</summary>
    public IEnumerable<string> PinErrorsFor(Guid tenantId) =>
        Input.TenantId != tenantId
            ? []
            : ModelState.Where(e => e.Key.StartsWith(nameof(Input), StringComparison.Ordinal)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage);

    private RedirectToPageResult Report(TenantChange change, string done)
    {
        var name = change.Tenant?.Name ?? "The store";
        if (change.Explanation is { } problem)
        {
            Problem = change.Tenant is null ? problem : $"{name}: {problem}";
        }
        else
        {
            Done = $"{name} {done}.";
        }

        return RedirectToPage();
    }
}

/// <summary>The owner console's own-price form: a Stripe price id and its amount per store, or both empty to clear.</summary>
public sealed class CustomPriceInput
{
    public Guid TenantId { get; set; }

    public string? StorePriceId { get; set; }

    /// <summary>Text, read by the command (a point or a comma), so the page's culture never changes the amount.</summary>
    public string? PricePerStore { get; set; }
}

/// <summary>The owner console's invitation of a store's first Owner.</summary>
public sealed class FirstOwnerInput
{
    public Guid TenantId { get; set; }

    public string? Email { get; set; }
}

/// <summary>The owner console's PIN form: a store and its new PIN.</summary>
public sealed class StaffPinInput
{
    public Guid TenantId { get; set; }

    public string? Pin { get; set; }
}

/// <summary>The owner console's form for a new store. The platform owner vouches for it: its email counts as confirmed.</summary>
public sealed class NewStoreInput
{
    public string? Name { get; set; }

    public string? Subdomain { get; set; }

    /// <summary>For the version-1 retailers moving over: no trial, active at once.</summary>
    public bool NoTrial { get; set; }
}
