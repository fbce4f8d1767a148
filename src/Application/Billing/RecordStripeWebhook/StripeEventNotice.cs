namespace CustomerInfo.Application.Billing.RecordStripeWebhook;

/// <summary>
/// A Stripe event whose signature was checked, as plain values: Infrastructure reads Stripe's JSON
/// (Stripe.net), Application decides. <see cref="Created"/> is when Stripe says it happened; the
/// lifecycle decides from it, never from the order deliveries arrive in.
/// </summary>
public sealed record StripeEventNotice(string Id, string Type, DateTimeOffset Created, StripeEventSubject Subject);

/// <summary>What an event is about, for the types we act on; <see cref="Other"/> for the rest.</summary>
public abstract record StripeEventSubject
{
    private StripeEventSubject()
    {
    }

    /// <summary>
    /// <c>checkout.session.completed</c>. <paramref name="TenantId"/> is the session's
    /// <c>client_reference_id</c> (or metadata <c>tenant_id</c>); <paramref name="PlanId"/> its metadata
    /// <c>plan_id</c>. <paramref name="PaymentStatus"/> is Stripe's: paid, unpaid, no_payment_required.
    /// </summary>
    public sealed record CheckoutCompleted(string SessionId, string? CustomerId, Guid? TenantId, string? SubscriptionId, string PaymentStatus, string? PlanId)
        : StripeEventSubject;

    /// <summary><c>customer.subscription.created</c>, <c>.updated</c>, <c>.deleted</c>: the subscription as it is now.</summary>
    public sealed record SubscriptionChanged(StripeSubscriptionState Subscription) : StripeEventSubject;

    /// <summary><c>customer.subscription.trial_will_end</c>.</summary>
    public sealed record TrialWillEnd(string CustomerId, string SubscriptionId) : StripeEventSubject;

    /// <summary><c>invoice.paid</c> (<paramref name="Paid"/>) or <c>invoice.payment_failed</c>; the subscription is the invoice's parent's.</summary>
    public sealed record InvoiceSettled(string InvoiceId, string? CustomerId, string? SubscriptionId, bool Paid) : StripeEventSubject;

    /// <summary>A type we do not act on: stored as ignored.</summary>
    public sealed record Other : StripeEventSubject;
}
