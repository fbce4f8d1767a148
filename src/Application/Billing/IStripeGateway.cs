namespace CustomerInfo.Application.Billing;

/// <summary>
/// Stripe, as the use cases need it (Infrastructure implements it with Stripe.net; Application never
/// sees Stripe's types). Every write carries an idempotency key made from our own ids, so a retried
/// command never creates, reports or charges twice. Failures are <see cref="StripeUnavailableException"/>
/// (try again later: 429, 5xx, timeout) or <see cref="StripeRefusedException"/> (Stripe's 4xx).
/// </summary>
public interface IStripeCheckout
{
    /// <summary>Creates the tenant's customer (idempotency key from the tenant id; metadata <c>tenant_id</c>) and answers its id.</summary>
    Task<string> CreateCustomerAsync(Guid tenantId, string name, string email, CancellationToken cancellationToken);

    /// <summary>A Checkout Session in subscription mode for the customer; answers the URL to send the Owner to.</summary>
    Task<Uri> StartCheckoutAsync(CheckoutStart start, CancellationToken cancellationToken);

    /// <summary>A Customer Portal session (change plan or card, cancel, invoices); answers its URL.</summary>
    Task<Uri> StartPortalAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken);
}

/// <param name="StorePriceId">The plan's (or the tenant's own) price per store; <paramref name="Stores"/> is its quantity.</param>
/// <param name="SignUpPriceId">The metered price; no quantity.</param>
/// <param name="SuccessUrl">Stripe appends nothing: put <c>{CHECKOUT_SESSION_ID}</c> in it to get the session id back.</param>
public sealed record CheckoutStart(
    Guid TenantId, string CustomerId, string PlanId, string StorePriceId, string SignUpPriceId, int Stores,
    Uri SuccessUrl, Uri CancelUrl, bool AutomaticTax, string Locale);

/// <summary>What the billing run and the billing page ask of Stripe.</summary>
public interface IStripeBilling
{
    /// <summary>The customer's newest subscription (any status), or null when it has none.</summary>
    Task<StripeSubscriptionState?> GetSubscriptionAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>Sets the quantity of the subscription's per-store item (no proration surprise: Stripe's default).</summary>
    Task SetStoreQuantityAsync(string subscriptionItemId, int stores, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Reports <paramref name="signUps"/> for one tenant and day to the meter, with
    /// <paramref name="identifier"/> as the meter event's identifier and idempotency key.
    /// </summary>
    Task ReportUsageAsync(string customerId, DateOnly day, long signUps, string identifier, CancellationToken cancellationToken);

    /// <summary>The next invoice as Stripe would make it now (amount due, when), or null without a subscription.</summary>
    Task<InvoicePreview?> PreviewNextInvoiceAsync(string customerId, CancellationToken cancellationToken);
}

/// <summary>A subscription as Stripe holds it now (Stripe's status names: active, past_due, unpaid, canceled, incomplete, …).</summary>
public sealed record StripeSubscriptionState(
    string Id, string CustomerId, string Status, IReadOnlyList<StripeSubscriptionItem> Items,
    DateTimeOffset Created, DateTimeOffset? CanceledAt, DateTimeOffset? EndedAt, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd);

public sealed record StripeSubscriptionItem(string Id, string PriceId, long? Quantity);

/// <summary>Amounts in the currency's smallest unit (cents).</summary>
public sealed record InvoicePreview(long AmountDue, string Currency, DateTimeOffset? NextPaymentAt);

/// <summary>Stripe could not be reached or asked us to slow down (429, 5xx, timeout): try again later.</summary>
public sealed class StripeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Stripe refused the request (4xx other than 429); <see cref="Exception.Message"/> is Stripe's, without keys.</summary>
public sealed class StripeRefusedException(string message, string? code = null, Exception? inner = null) : Exception(message, inner)
{
    public string? Code { get; } = code;
}
