namespace CustomerInfo.Domain.Tenants;

/// <summary>Every event of a tenant's lifecycle stream (the stream id is the tenant id).</summary>
public interface ITenantEvent
{
    Guid TenantId { get; }
}

/// <summary>
/// A retailer was put on the platform. <see cref="TrialEndsAt"/> is the trial's deadline; null with
/// <see cref="NoTrial"/> means the tenant skipped the trial (a version-1 retailer moving over).
/// Events stored before the lifecycle existed have neither: <see cref="TenantLifecycle.Evolve"/> reads them.
/// </summary>
public sealed record TenantOnboarded(
    Guid TenantId, string Identifier, string Name, DateTimeOffset OnboardedAt, DateTimeOffset? TrialEndsAt = null, bool NoTrial = false) : ITenantEvent;

/// <summary>The tenant's email address is confirmed (or the platform owner vouched for the tenant).</summary>
public sealed record TenantEmailConfirmed(Guid TenantId, DateTimeOffset ConfirmedAt) : ITenantEvent;

/// <summary>The trial's deadline passed without a subscription: the kiosk stays closed.</summary>
public sealed record TenantTrialEnded(Guid TenantId, DateTimeOffset EndedAt) : ITenantEvent;

/// <summary>The platform owner closed the tenant.</summary>
public sealed record TenantSuspended(Guid TenantId, DateTimeOffset SuspendedAt) : ITenantEvent;

/// <summary>The platform owner opened a suspended tenant again: it returns to the state it was suspended from.</summary>
public sealed record TenantReactivated(Guid TenantId, DateTimeOffset ReactivatedAt) : ITenantEvent;

/// <summary>The store's name as shoppers see it changed. The subdomain (<see cref="Tenant.Identifier"/>) stays.</summary>
public sealed record TenantRenamed(Guid TenantId, string Name, DateTimeOffset RenamedAt) : ITenantEvent;

/// <summary>
/// Written before the lifecycle decider existed (the owner console set any status). No longer
/// appended; kept so that stored streams still replay (<see cref="TenantLifecycle.Evolve"/>).
/// </summary>
public sealed record TenantStatusChanged(Guid TenantId, TenantStatus From, TenantStatus To, DateTimeOffset ChangedAt) : ITenantEvent;

/// <summary>The tenant's Stripe customer (created once; its metadata carries the tenant id).</summary>
public sealed record TenantStripeCustomerLinked(Guid TenantId, string CustomerId, DateTimeOffset At) : ITenantEvent;

/// <summary>The tenant pays for <see cref="PlanId"/> through <see cref="SubscriptionId"/> (checkout completed, or a plan change): active.</summary>
public sealed record TenantSubscribed(Guid TenantId, string SubscriptionId, string PlanId, DateTimeOffset At) : ITenantEvent;

/// <summary>A payment failed: past due, the kiosk works until <see cref="GraceEndsAt"/>.</summary>
public sealed record TenantPaymentFailed(Guid TenantId, string SubscriptionId, DateTimeOffset GraceEndsAt, DateTimeOffset At) : ITenantEvent;

/// <summary>A past-due or unpaid tenant's invoice was paid: active again.</summary>
public sealed record TenantInvoicePaid(Guid TenantId, string SubscriptionId, DateTimeOffset At) : ITenantEvent;

/// <summary>The grace period passed without payment: the kiosk is closed (unpaid) until an invoice is paid.</summary>
public sealed record TenantGraceEnded(Guid TenantId, DateTimeOffset At) : ITenantEvent;

/// <summary>The subscription was deleted: canceled. The Owner keeps a read-only admin for a while, then the data is erased.</summary>
public sealed record TenantSubscriptionEnded(Guid TenantId, string SubscriptionId, DateTimeOffset At) : ITenantEvent;

/// <summary>
/// The platform owner set the tenant's own Stripe price per store (null: the plan's price again).
/// <see cref="PricePerStore"/> is that price's amount as the owner console counts it in the MRR; events
/// stored before it existed have none.
/// </summary>
public sealed record TenantCustomPriceSet(Guid TenantId, string? StorePriceId, DateTimeOffset At, decimal? PricePerStore = null) : ITenantEvent;

/// <summary>
/// A canceled tenant's read-only period passed and every shopper's details were erased (ADR 0023):
/// the admin says only that. Carries no personal data, only the count of contacts erased.
/// </summary>
public sealed record TenantDataErased(Guid TenantId, int ContactsErased, DateTimeOffset At) : ITenantEvent;

/// <summary>The store's staff PIN was set or replaced. Never carries the PIN or its hash.</summary>
public sealed record StaffPinSet(Guid TenantId, DateTimeOffset SetAt);

/// <summary>The Owner chose how long shoppers' data is kept after their latest sign-up: <see cref="Months"/>, or null for "until erased".</summary>
public sealed record TenantRetentionSet(Guid TenantId, int? Months, DateTimeOffset At) : ITenantEvent;

/// <summary>The Owner turned on (or off) the rule that every Owner of the team signs in with a second factor.</summary>
public sealed record TenantTwoFactorRequirementSet(Guid TenantId, bool OwnersMustUseTwoFactor, DateTimeOffset At) : ITenantEvent;
