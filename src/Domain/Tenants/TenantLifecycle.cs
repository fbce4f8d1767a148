namespace CustomerInfo.Domain.Tenants;

/// <summary>
/// Something that happened to a tenant, or that someone asks of it: the decider answers with events
/// or a refusal. Billing's facts derive from <see cref="BillingFact"/>: they come from Stripe (a
/// webhook or the billing run's reconciliation), in any order and any number of times.
/// </summary>
public abstract record TenantFact(DateTimeOffset At)
{
    /// <summary>
    /// A new retailer at <paramref name="Identifier"/>. <paramref name="TrialEndsAt"/> null is "no trial".
    /// <paramref name="VouchedForByPlatformOwner"/>: the platform owner created the tenant and vouches
    /// for it, so its email counts as confirmed at once; a self-onboarded retailer confirms theirs.
    /// </summary>
    public sealed record Onboard(Guid TenantId, string Identifier, string Name, DateTimeOffset At, DateTimeOffset? TrialEndsAt, bool VouchedForByPlatformOwner)
        : TenantFact(At);

    public sealed record ConfirmEmail(DateTimeOffset At) : TenantFact(At);

    /// <summary>Raised by the hourly job for every trial whose deadline passed; raising it twice records nothing new.</summary>
    public sealed record EndTrial(DateTimeOffset At) : TenantFact(At);

    /// <summary>The platform owner closes the tenant.</summary>
    public sealed record Suspend(DateTimeOffset At) : TenantFact(At);

    public sealed record Reactivate(DateTimeOffset At) : TenantFact(At);

    /// <summary>The retailer changes the store's name as shoppers see it (the kiosk header, the texts). <paramref name="Name"/> is already clean.</summary>
    public sealed record Rename(string Name, DateTimeOffset At) : TenantFact(At);

    /// <summary>
    /// The tenant's Stripe customer was created (once, with an idempotency key). Recording the same id
    /// again is nothing to do; another id is refused (a tenant has one customer).
    /// </summary>
    public sealed record LinkStripeCustomer(string CustomerId, DateTimeOffset At) : TenantFact(At);

    /// <summary>
    /// A fact from Stripe. <see cref="TenantFact.At"/> is when Stripe says it happened (the event's or
    /// the object's time), not when we heard of it: a fact older than the newest one the tenant has
    /// seen (<see cref="Tenant.BillingAsOf"/>) is stale and changes nothing, and nothing about a
    /// subscription that was deleted (<see cref="Tenant.EndedSubscriptionId"/>) changes anything again.
    /// </summary>
    public abstract record BillingFact(string SubscriptionId, DateTimeOffset At) : TenantFact(At);

    /// <summary>Checkout completed, or the subscription was seen active (created, updated, reconciled): the tenant pays for <paramref name="PlanId"/>.</summary>
    public sealed record SubscriptionActive(string SubscriptionId, string PlanId, DateTimeOffset At) : BillingFact(SubscriptionId, At);

    /// <summary>An invoice of the subscription was paid: past due or unpaid becomes active; for an active tenant a newer one is recorded too (it moves <see cref="Tenant.BillingAsOf"/>).</summary>
    public sealed record InvoicePaid(string SubscriptionId, DateTimeOffset At) : BillingFact(SubscriptionId, At);

    /// <summary>
    /// A payment failed (or the subscription was seen past due). The kiosk keeps working until
    /// <paramref name="GraceEndsAt"/> (the caller adds <c>Billing:GraceDays</c>); a second failure keeps the first deadline.
    /// </summary>
    public sealed record PaymentFailed(string SubscriptionId, DateTimeOffset GraceEndsAt, DateTimeOffset At) : BillingFact(SubscriptionId, At);

    /// <summary>The subscription was deleted (canceled and ended): the tenant is canceled, read-only for the Owner.</summary>
    public sealed record SubscriptionDeleted(string SubscriptionId, DateTimeOffset At) : BillingFact(SubscriptionId, At);

    /// <summary>Raised by the billing run for a past-due tenant whose grace deadline passed; raising it early is refused.</summary>
    public sealed record EndGrace(DateTimeOffset At) : TenantFact(At);

    /// <summary>
    /// The platform owner gives the tenant its own Stripe price per store (null: the plan's own again);
    /// <paramref name="PricePerStore"/> is its amount, which the MRR counts.
    /// </summary>
    public sealed record SetCustomPrice(string? StorePriceId, DateTimeOffset At, decimal? PricePerStore = null) : TenantFact(At);

    /// <summary>
    /// The erasure job erased every shopper of a canceled tenant whose read-only period passed. Only a
    /// canceled tenant's data is erased; recording it again is nothing to do.
    /// </summary>
    public sealed record RecordDataErased(int ContactsErased, DateTimeOffset At) : TenantFact(At);

    /// <summary>
    /// The Owner chooses how long shoppers' data is kept after their latest sign-up (issue 14 §6):
    /// <paramref name="Months"/>, or null for "until erased". The caller checks the choice is one of
    /// <see cref="ShopperRetention.Choices"/>.
    /// </summary>
    public sealed record SetRetention(int? Months, DateTimeOffset At) : TenantFact(At);

    /// <summary>The Owner decides whether the team's Owners must use two-factor sign-in (issue 14 §4).</summary>
    public sealed record SetTwoFactorRequirement(bool OwnersMustUseTwoFactor, DateTimeOffset At) : TenantFact(At);
}

/// <summary>Why a fact was refused. Callers tell them apart (e.g. "already confirmed" is fine for a retry of a sign-in).</summary>
public enum TenantRefusal
{
    NotOnboarded,
    AlreadyOnboarded,
    NoTrialNeedsThePlatformOwner,
    EmailAlreadyConfirmed,
    NotTrialing,
    TrialHasNoDeadline,
    TrialNotOver,
    AlreadySuspended,
    Canceled,
    NotSuspended,
    OtherStripeCustomer,
    NotPastDue,
    GraceNotOver,
    NotCanceled,
}

/// <summary>The decider's answer: the events to append (none: nothing to do), or a refusal.</summary>
public sealed record TenantDecision
{
    private TenantDecision(IReadOnlyList<ITenantEvent> events, TenantRefusal? refusal)
    {
        Events = events;
        Refusal = refusal;
    }

    public IReadOnlyList<ITenantEvent> Events { get; }

    public TenantRefusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static TenantDecision Accept(params ITenantEvent[] events) => new(events, null);

    /// <summary>Accepted, and already so: a retry that must not record anything again.</summary>
    public static TenantDecision NothingToDo { get; } = new([], null);

    public static TenantDecision Refuse(TenantRefusal refusal) => new([], refusal);

    /// <summary>What to tell a person: the refusal in a sentence.</summary>
    public static string Explain(TenantRefusal refusal) => refusal switch
    {
        TenantRefusal.NotOnboarded => "This store does not exist.",
        TenantRefusal.AlreadyOnboarded => "This store exists already.",
        TenantRefusal.NoTrialNeedsThePlatformOwner => "Only the platform owner can put a store on the platform without a trial.",
        TenantRefusal.EmailAlreadyConfirmed => "This store's email address is confirmed already.",
        TenantRefusal.NotTrialing => "This store is not on a trial.",
        TenantRefusal.TrialHasNoDeadline => "This store's trial has no end date.",
        TenantRefusal.TrialNotOver => "This store's trial has not ended yet.",
        TenantRefusal.AlreadySuspended => "This store is suspended already.",
        TenantRefusal.Canceled => "This store has been canceled.",
        TenantRefusal.NotSuspended => "This store is not suspended.",
        TenantRefusal.OtherStripeCustomer => "This store has another Stripe customer already.",
        TenantRefusal.NotPastDue => "This store's payments are not past due.",
        TenantRefusal.GraceNotOver => "This store's grace period has not ended yet.",
        TenantRefusal.NotCanceled => "This store's subscription has not ended.",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, null),
    };
}

/// <summary>
/// The tenant's lifecycle as a decider: <see cref="Decide"/> says what a fact means for a tenant
/// in a given state, <see cref="Evolve"/> folds the events into the state (the <see cref="Tenant"/>
/// document). Pure: no clock, no storage; the time comes with the fact.
/// </summary>
public static class TenantLifecycle
{
    /// <param name="state">The tenant as its stream leaves it; null before it was onboarded.</param>
    public static TenantDecision Decide(Tenant? state, TenantFact fact) => (state, fact) switch
    {
        (null, TenantFact.Onboard onboard) => Onboard(onboard),
        (null, _) => TenantDecision.Refuse(TenantRefusal.NotOnboarded),
        (_, TenantFact.Onboard) => TenantDecision.Refuse(TenantRefusal.AlreadyOnboarded),
        (_, TenantFact.ConfirmEmail confirm) => state.IsEmailConfirmed
            ? TenantDecision.Refuse(TenantRefusal.EmailAlreadyConfirmed)
            : TenantDecision.Accept(new TenantEmailConfirmed(state.Id, confirm.At)),
        (_, TenantFact.EndTrial end) => EndTrial(state, end),
        (_, TenantFact.Suspend suspend) => state.Status switch
        {
            TenantStatus.Suspended => TenantDecision.Refuse(TenantRefusal.AlreadySuspended),
            TenantStatus.Canceled => TenantDecision.Refuse(TenantRefusal.Canceled),
            _ => TenantDecision.Accept(new TenantSuspended(state.Id, suspend.At)),
        },
        (_, TenantFact.Reactivate reactivate) => state.Status is TenantStatus.Suspended
            ? TenantDecision.Accept(new TenantReactivated(state.Id, reactivate.At))
            : TenantDecision.Refuse(TenantRefusal.NotSuspended),
        (_, TenantFact.Rename rename) => string.Equals(state.Name, rename.Name, StringComparison.Ordinal)
            ? TenantDecision.NothingToDo
            : TenantDecision.Accept(new TenantRenamed(state.Id, rename.Name, rename.At)),
        (_, TenantFact.LinkStripeCustomer link) => state.StripeCustomerId switch
        {
            null => TenantDecision.Accept(new TenantStripeCustomerLinked(state.Id, link.CustomerId, link.At)),
            var known when string.Equals(known, link.CustomerId, StringComparison.Ordinal) => TenantDecision.NothingToDo,
            _ => TenantDecision.Refuse(TenantRefusal.OtherStripeCustomer),
        },
        (_, TenantFact.BillingFact billing) => Billing(state, billing),
        (_, TenantFact.EndGrace end) => EndGrace(state, end),
        (_, TenantFact.SetCustomPrice price) => string.Equals(state.CustomStorePriceId, price.StorePriceId, StringComparison.Ordinal) && state.CustomPricePerStore == price.PricePerStore
            ? TenantDecision.NothingToDo
            : TenantDecision.Accept(new TenantCustomPriceSet(state.Id, price.StorePriceId, price.At, price.PricePerStore)),
        (_, TenantFact.RecordDataErased erased) => state switch
        {
            { DataErasedAt: not null } => TenantDecision.NothingToDo,
            { Status: TenantStatus.Canceled } => TenantDecision.Accept(new TenantDataErased(state.Id, erased.ContactsErased, erased.At)),
            _ => TenantDecision.Refuse(TenantRefusal.NotCanceled),
        },
        (_, TenantFact.SetRetention retention) => state.RetentionMonths == retention.Months
            ? TenantDecision.NothingToDo
            : TenantDecision.Accept(new TenantRetentionSet(state.Id, retention.Months, retention.At)),
        (_, TenantFact.SetTwoFactorRequirement rule) => state.OwnersMustUseTwoFactor == rule.OwnersMustUseTwoFactor
            ? TenantDecision.NothingToDo
            : TenantDecision.Accept(new TenantTwoFactorRequirementSet(state.Id, rule.OwnersMustUseTwoFactor, rule.At)),
        _ => throw new ArgumentOutOfRangeException(nameof(fact), fact, "A fact the tenant lifecycle does not know."),
    };

    /// <summary>Folds one event into the state. Events of other kinds in the stream (a staff PIN set) leave it as it is.</summary>
    public static Tenant? Evolve(Tenant? state, object @event) => (state, @event) switch
    {
        (null, TenantOnboarded onboarded) => Onboarded(onboarded),
        (null, _) => null,
        (_, TenantEmailConfirmed confirmed) => state with { EmailConfirmedAt = confirmed.ConfirmedAt },
        (_, TenantTrialEnded) => state with { Status = TenantStatus.TrialEnded },
        (_, TenantSuspended) => state with { Status = TenantStatus.Suspended, SuspendedFrom = state.Status },
        (_, TenantReactivated) => state with { Status = state.SuspendedFrom ?? TenantStatus.Active, SuspendedFrom = null },
        (_, TenantRenamed renamed) => state with { Name = renamed.Name },
        (_, TenantStripeCustomerLinked linked) => state with { StripeCustomerId = linked.CustomerId },
        (_, TenantSubscribed subscribed) => state with
        {
            Status = state.Status is TenantStatus.Suspended ? state.Status : TenantStatus.Active,
            SuspendedFrom = state.Status is TenantStatus.Suspended ? TenantStatus.Active : null,
            SubscriptionId = subscribed.SubscriptionId,
            PlanId = subscribed.PlanId,
            GraceEndsAt = null,
            CanceledAt = null,
            BillingAsOf = subscribed.At,
        },
        (_, TenantPaymentFailed failed) => state with
        {
            Status = state.Status is TenantStatus.Suspended ? state.Status : TenantStatus.PastDue,
            SuspendedFrom = state.Status is TenantStatus.Suspended ? TenantStatus.PastDue : null,
            GraceEndsAt = failed.GraceEndsAt,
            BillingAsOf = failed.At,
        },
        (_, TenantInvoicePaid paid) => state with
        {
            Status = state.Status is TenantStatus.Suspended ? state.Status : TenantStatus.Active,
            SuspendedFrom = state.Status is TenantStatus.Suspended ? TenantStatus.Active : null,
            GraceEndsAt = null,
            BillingAsOf = paid.At,
        },
        (_, TenantGraceEnded) => state.Status is TenantStatus.Suspended
            ? state with { SuspendedFrom = TenantStatus.Unpaid }
            : state with { Status = TenantStatus.Unpaid },
        (_, TenantSubscriptionEnded ended) => state with
        {
            Status = TenantStatus.Canceled,
            SuspendedFrom = null,
            CanceledAt = ended.At,
            GraceEndsAt = null,
            BillingAsOf = state.BillingAsOf is { } seen && seen > ended.At ? seen : ended.At,
            EndedSubscriptionId = ended.SubscriptionId,
        },
        (_, TenantCustomPriceSet price) => state with { CustomStorePriceId = price.StorePriceId, CustomPricePerStore = price.StorePriceId is null ? null : price.PricePerStore },
        (_, TenantDataErased erased) => state with { DataErasedAt = erased.At },
        (_, TenantRetentionSet retention) => state with { KeepsShoppersUntilErased = retention.Months is null, ChosenRetentionMonths = retention.Months },
        (_, TenantTwoFactorRequirementSet rule) => state with { OwnersMustUseTwoFactor = rule.OwnersMustUseTwoFactor },
        (_, TenantStatusChanged changed) => state with
        {
            Status = changed.To,
            SuspendedFrom = changed.To is TenantStatus.Suspended ? changed.From : null,
        },
        _ => state,
    };

    /// <summary>Folds a whole stream, oldest event first.</summary>
    public static Tenant? Replay(IEnumerable<object> events) => events.Aggregate((Tenant?)null, Evolve);

    private static TenantDecision Onboard(TenantFact.Onboard onboard)
    {
        var noTrial = onboard.TrialEndsAt is null;
        if (noTrial && !onboard.VouchedForByPlatformOwner)
        {
            return TenantDecision.Refuse(TenantRefusal.NoTrialNeedsThePlatformOwner);
        }

        var onboarded = new TenantOnboarded(onboard.TenantId, onboard.Identifier, onboard.Name, onboard.At, onboard.TrialEndsAt, noTrial);
        return onboard.VouchedForByPlatformOwner
            ? TenantDecision.Accept(onboarded, new TenantEmailConfirmed(onboard.TenantId, onboard.At))
            : TenantDecision.Accept(onboarded);
    }

    private static TenantDecision EndTrial(Tenant state, TenantFact.EndTrial end)
    {
        if (state.Status is TenantStatus.TrialEnded)
        {
            return TenantDecision.NothingToDo;
        }

        if (state.Status is not TenantStatus.Trialing)
        {
            return TenantDecision.Refuse(TenantRefusal.NotTrialing);
        }

        if (state.TrialEndsAt is not { } deadline)
        {
            return TenantDecision.Refuse(TenantRefusal.TrialHasNoDeadline);
        }

        return end.At < deadline
            ? TenantDecision.Refuse(TenantRefusal.TrialNotOver)
            : TenantDecision.Accept(new TenantTrialEnded(state.Id, end.At));
    }

    /// <summary>
    /// Stripe's facts. Stale ones (older than the newest seen) and any about a deleted subscription are
    /// nothing to do, so a late or replayed delivery never undoes a newer one. A suspension stays: the
    /// billing state underneath it changes, and reactivation returns to that.
    /// </summary>
    private static TenantDecision Billing(Tenant state, TenantFact.BillingFact fact)
    {
        if (string.Equals(state.EndedSubscriptionId, fact.SubscriptionId, StringComparison.Ordinal))
        {
            return TenantDecision.NothingToDo;
        }

        var same = string.Equals(state.SubscriptionId, fact.SubscriptionId, StringComparison.Ordinal);
        if (fact is TenantFact.SubscriptionDeleted ending)
        {
            // Final whenever it arrives; but the end of a subscription the tenant has since replaced changes nothing.
            return same || state.SubscriptionId is null
                ? TenantDecision.Accept(new TenantSubscriptionEnded(state.Id, ending.SubscriptionId, ending.At))
                : TenantDecision.NothingToDo;
        }

        if (state.BillingAsOf is { } seen && fact.At < seen)
        {
            return TenantDecision.NothingToDo;
        }

        var current = state.Status is TenantStatus.Suspended ? state.SuspendedFrom ?? TenantStatus.Active : state.Status;
        return fact switch
        {
            TenantFact.SubscriptionActive active when same && current is TenantStatus.Active && string.Equals(state.PlanId, active.PlanId, StringComparison.Ordinal)
                => TenantDecision.NothingToDo,
            TenantFact.SubscriptionActive active when same && current is TenantStatus.PastDue or TenantStatus.Unpaid && string.Equals(state.PlanId, active.PlanId, StringComparison.Ordinal)
                => TenantDecision.Accept(new TenantInvoicePaid(state.Id, active.SubscriptionId, active.At)),
            TenantFact.SubscriptionActive active => TenantDecision.Accept(new TenantSubscribed(state.Id, active.SubscriptionId, active.PlanId, active.At)),
            TenantFact.InvoicePaid when !same => TenantDecision.NothingToDo,
            // An active tenant's paid invoice changes no status but is still recorded when it is newer: it moves
            // BillingAsOf, so a payment failure from before it that arrives after it is stale, not a new past due.
            TenantFact.InvoicePaid paid when current is TenantStatus.Active && paid.At == state.BillingAsOf => TenantDecision.NothingToDo,
            TenantFact.InvoicePaid paid => TenantDecision.Accept(new TenantInvoicePaid(state.Id, paid.SubscriptionId, paid.At)),
            TenantFact.PaymentFailed when !same => TenantDecision.NothingToDo,
            TenantFact.PaymentFailed when current is TenantStatus.PastDue or TenantStatus.Unpaid => TenantDecision.NothingToDo,
            TenantFact.PaymentFailed failed => TenantDecision.Accept(new TenantPaymentFailed(state.Id, failed.SubscriptionId, failed.GraceEndsAt, failed.At)),
            _ => throw new ArgumentOutOfRangeException(nameof(fact), fact, "A billing fact the tenant lifecycle does not know."),
        };
    }

    private static TenantDecision EndGrace(Tenant state, TenantFact.EndGrace end)
    {
        var current = state.Status is TenantStatus.Suspended ? state.SuspendedFrom : state.Status;
        return current switch
        {
            TenantStatus.Unpaid => TenantDecision.NothingToDo,
            TenantStatus.PastDue when state.GraceEndsAt is { } deadline && end.At < deadline => TenantDecision.Refuse(TenantRefusal.GraceNotOver),
            TenantStatus.PastDue => TenantDecision.Accept(new TenantGraceEnded(state.Id, end.At)),
            _ => TenantDecision.Refuse(TenantRefusal.NotPastDue),
        };
    }

    private static Tenant Onboarded(TenantOnboarded onboarded)
    {
        var tenant = new Tenant(onboarded.TenantId, onboarded.Identifier, onboarded.Name, TenantStatus.Trialing, onboarded.OnboardedAt);
        if (onboarded.NoTrial)
        {
            return tenant with { Status = TenantStatus.Active, NoTrial = true };
        }

        if (onboarded.TrialEndsAt is { } deadline)
        {
            return tenant with { TrialEndsAt = deadline };
        }

        // Stored before the lifecycle existed: neither a deadline nor "no trial". Those tenants were
        // created by the platform owner (the only way to onboard then) and their kiosks were open, so
        // they replay as vouched for (confirmed at onboarding) and trialing without a deadline: open,
        // as they were, until billing gives them a status of their own. Closing them would lock out
        // every store of a developer's database on upgrade.
        return tenant with { EmailConfirmedAt = onboarded.OnboardedAt };
    }
}
