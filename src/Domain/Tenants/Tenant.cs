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
            TenantStatus.Active or TenantStatus.PastDue => true,
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
}
