namespace CustomerInfo.Domain.Tenants;

/// <summary>
/// A retailer on the platform, as its lifecycle events leave it (<see cref="TenantLifecycle.Evolve"/>):
/// the document is never edited by hand. <see cref="Id"/> never changes and keys all of the tenant's
/// data; <see cref="Identifier"/> is the subdomain, which the retailer may change.
/// </summary>
public sealed record Tenant(Guid Id, string Identifier, string Name, TenantStatus Status, DateTimeOffset OnboardedAt)
{
    /// <summary>The trial's deadline; null when there is none (no trial, or onboarded before trials had one).</summary>
    public DateTimeOffset? TrialEndsAt { get; init; }

    /// <summary>When the email was confirmed (or the platform owner vouched); null: the kiosk stays closed.</summary>
    public DateTimeOffset? EmailConfirmedAt { get; init; }

    /// <summary>Onboarded without a trial by the platform owner (the version-1 retailers moving over).</summary>
    public bool NoTrial { get; init; }

    /// <summary>While suspended: the status a reactivation returns to.</summary>
    public TenantStatus? SuspendedFrom { get; init; }

    /// <summary>The tenant's Stripe customer, once created.</summary>
    public string? StripeCustomerId { get; init; }

    /// <summary>The subscription the tenant pays through (the latest; it may have ended).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The plan (<c>Billing:Plans</c> id) of <see cref="SubscriptionId"/>.</summary>
    public string? PlanId { get; init; }

    /// <summary>While past due: when the kiosk closes unless an invoice is paid.</summary>
    public DateTimeOffset? GraceEndsAt { get; init; }

    /// <summary>When the subscription ended (canceled); the read-only period and the erasure count from it.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>The time of the newest billing fact recorded: older ones are stale.</summary>
    public DateTimeOffset? BillingAsOf { get; init; }

    /// <summary>
    /// The subscription that was deleted last: nothing said about it later changes the tenant. One id is
    /// enough: Stripe never revives a deleted subscription (a new one has a new id), and what is said
    /// about an older one is older than what the tenant has seen since (<see cref="BillingAsOf"/>).
    /// A single value also keeps the record's equality a value equality.
    /// </summary>
    public string? EndedSubscriptionId { get; init; }

    /// <summary>The platform owner's own price per store for this tenant (a version-1 retailer's), or null for the plan's.</summary>
    public string? CustomStorePriceId { get; init; }

    /// <summary>The amount of <see cref="CustomStorePriceId"/> per store per month, for the MRR; null when unknown.</summary>
    public decimal? CustomPricePerStore { get; init; }

    /// <summary>When a canceled tenant's shoppers' data was erased, once its read-only period had passed.</summary>
    public DateTimeOffset? DataErasedAt { get; init; }

    /// <summary>
    /// The Owner chose to keep shoppers' data until it is erased by hand (issue 14 §6). Stored as its
    /// own flag, so a tenant that never chose (a document written before retention existed) reads as
    /// the default, not as "until erased".
    /// </summary>
    public bool KeepsShoppersUntilErased { get; init; }

    /// <summary>The months the Owner chose; null: never chosen (<see cref="ShopperRetention.DefaultMonths"/>).</summary>
    public int? ChosenRetentionMonths { get; init; }

    /// <summary>The team's rule: its Owners must sign in with a second factor (issue 14 §4).</summary>
    public bool OwnersMustUseTwoFactor { get; init; }

    /// <summary>How many months after a shopper's latest sign-up their data is erased; null: kept until erased by hand.</summary>
    public int? RetentionMonths => KeepsShoppersUntilErased ? null : ChosenRetentionMonths ?? ShopperRetention.DefaultMonths;

    public bool IsEmailConfirmed => EmailConfirmedAt is not null;

    /// <summary>
    /// Shoppers can sign up, staff can work. Follows from the state and the time, so no job has to be
    /// punctual: a trial is over at its deadline even before "trial ended" is recorded. Past due is a
    /// grace period, not a lock-out.
    /// </summary>
    public bool IsKioskOpenAt(DateTimeOffset now) =>
        IsEmailConfirmed && Status switch
        {
            TenantStatus.Trialing => TrialEndsAt is not { } deadline || now < deadline,
            TenantStatus.Active => true,
            TenantStatus.PastDue => GraceEndsAt is not { } graceEnds || now < graceEnds,
            _ => false,
        };
}

/// <summary>Stored as its number (Marten's default): add new states at the end only.</summary>
public enum TenantStatus
{
    Trialing,
    Active,
    PastDue,
    Suspended,
    Canceled,

    /// <summary>The trial's deadline passed without a subscription.</summary>
    TrialEnded,

    /// <summary>Past due beyond the grace period: the kiosk is closed until an invoice is paid.</summary>
    Unpaid,
}
