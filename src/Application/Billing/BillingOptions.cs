namespace CustomerInfo.Application.Billing;

/// <summary>
/// The <c>Billing</c> configuration section (docs/configuration.md), beside <c>Billing:TrialDays</c>
/// (<see cref="Tenants.TrialOptions"/>). Plans live here, so prices change without code.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Days a past-due tenant's kiosk keeps working after a failed payment.</summary>
    public int GraceDays { get; set; } = 7;

    /// <summary>When the recurring billing run starts (Hangfire cron, UTC). Default: daily at 02:30.</summary>
    public string RunCron { get; set; } = "30 2 * * *";

    /// <summary>Stripe Tax calculates VAT in Checkout (EU businesses); needs Stripe Tax set up on the account.</summary>
    public bool AutomaticTax { get; set; }

    /// <summary>The Stripe Billing Meter's <c>event_name</c> that kiosk sign-ups are reported to.</summary>
    public string MeterEventName { get; set; } = "kiosk_sign_ups";

    /// <summary>Days a canceled tenant's Owner keeps the admin, read-only, to export; then the data is erased.</summary>
    public int ReadOnlyDays { get; set; } = 30;

    /// <summary>Tenants per page of the billing run (it never loads all of them).</summary>
    public int RunPageSize { get; set; } = 200;

    /// <summary>
    /// Tenants of a page the billing run passes at the same time (each makes about three Stripe
    /// requests and a few database round trips). 1 makes the run sequential; 1 to 32.
    /// </summary>
    public int RunParallelism { get; set; } = 4;

    /// <summary>The plans offered, in the order shown. The first is the one Checkout offers by default.</summary>
    public List<BillingPlan> Plans { get; set; } = [];

    public BillingPlan? Plan(string? id) => Plans.Find(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    /// <summary>The plan whose store price or sign-up price is <paramref name="priceId"/>, or null.</summary>
    public BillingPlan? PlanOfPrice(string priceId) =>
        Plans.Find(p => string.Equals(p.StorePriceId, priceId, StringComparison.Ordinal) || string.Equals(p.SignUpPriceId, priceId, StringComparison.Ordinal));
}

/// <summary>
/// One plan: a monthly price per active store (the subscription's quantity) plus kiosk sign-ups above
/// <see cref="IncludedSignUps"/> a month, through a metered price on the Billing Meter (its first tier,
/// up to the included amount, costs nothing). The amounts are what the pricing page shows; Stripe's
/// prices are what is charged, so keep them the same.
/// </summary>
public sealed class BillingPlan
{
    /// <summary>Stable id stored with the tenant (e.g. <c>store</c>); never reuse one for another plan.</summary>
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>Dutch name; the English one when empty.</summary>
    public string NameNl { get; set; } = string.Empty;

    /// <summary>Stripe price (licensed, monthly) per active store.</summary>
    public string StorePriceId { get; set; } = string.Empty;

    /// <summary>Stripe price (metered, monthly) on the sign-ups meter.</summary>
    public string SignUpPriceId { get; set; } = string.Empty;

    /// <summary>Kiosk sign-ups a month included per tenant; imported sign-ups never count.</summary>
    public int IncludedSignUps { get; set; }

    /// <summary>Per store per month, in <see cref="Currency"/>, VAT excluded (as shown).</summary>
    public decimal PricePerStore { get; set; }

    /// <summary>Per kiosk sign-up above the included amount, in <see cref="Currency"/>.</summary>
    public decimal PricePerExtraSignUp { get; set; }

    public string Currency { get; set; } = "eur";
}
