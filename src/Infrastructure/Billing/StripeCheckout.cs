using System.Globalization;
using CustomerInfo.Application.Billing;
using Stripe;
using CheckoutSessions = Stripe.Checkout;
using PortalSessions = Stripe.BillingPortal;

namespace CustomerInfo.Infrastructure.Billing;

/// <summary>
/// Subscribing and managing through Stripe's hosted pages: the tenant's customer, a Checkout Session
/// in subscription mode, a Customer Portal session. Every call goes through <see cref="StripeCalls"/>
/// and every write carries an idempotency key made by the caller's ids.
/// </summary>
internal sealed class StripeCheckout(IStripeClient client) : IStripeCheckout
{
    public const string TenantIdKey = "tenant_id";
    public const string PlanIdKey = "plan_id";

    public Task<string> CreateCustomerAsync(Guid tenantId, string name, string email, CancellationToken cancellationToken) =>
        StripeCalls.RunAsync(async () =>
        {
            var customer = await new CustomerService(client).CreateAsync(
                new CustomerCreateOptions
                {
                    Name = name,
                    Email = email,
                    Metadata = new Dictionary<string, string> { [TenantIdKey] = TenantId(tenantId) },
                },
                // One customer per tenant: a retry after a crash gets the customer the first call made.
                new RequestOptions { IdempotencyKey = $"customer-{tenantId}" },
                cancellationToken);
            return customer.Id;
        }, cancellationToken);

    public Task<Uri> StartCheckoutAsync(CheckoutStart start, CancellationToken cancellationToken) =>
        StripeCalls.RunAsync(async () =>
        {
            var metadata = new Dictionary<string, string> { [TenantIdKey] = TenantId(start.TenantId), [PlanIdKey] = start.PlanId };
            var session = await new CheckoutSessions.SessionService(client).CreateAsync(
                new CheckoutSessions.SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = start.CustomerId,
                    ClientReferenceId = TenantId(start.TenantId),
                    LineItems =
                    [
                        new() { Price = start.StorePriceId, Quantity = Math.Max(1, start.Stores) },
                        // Metered: Stripe refuses a quantity; the meter's events are the usage.
                        new() { Price = start.SignUpPriceId },
                    ],
                    Metadata = metadata,
                    SubscriptionData = new CheckoutSessions.SessionSubscriptionDataOptions { Metadata = metadata },
                    TaxIdCollection = new CheckoutSessions.SessionTaxIdCollectionOptions { Enabled = true },
                    AutomaticTax = new CheckoutSessions.SessionAutomaticTaxOptions { Enabled = start.AutomaticTax },
                    // Stripe saves the VAT id's business name and the address tax needs onto the existing customer only when allowed to.
                    CustomerUpdate = new CheckoutSessions.SessionCustomerUpdateOptions { Name = "auto", Address = "auto" },
                    Locale = start.Locale,
                    SuccessUrl = start.SuccessUrl.ToString(),
                    CancelUrl = start.CancelUrl.ToString(),
                },
                // A new key per attempt: each click is its own session, and Stripe.net's retries of this one reuse the key.
                new RequestOptions { IdempotencyKey = $"checkout-{start.TenantId}-{Guid.NewGuid()}" },
                cancellationToken);
            return new Uri(session.Url);
        }, cancellationToken);

    public Task<Uri> StartPortalAsync(string customerId, Uri returnUrl, CancellationToken cancellationToken) =>
        StripeCalls.RunAsync(async () =>
        {
            // Nothing to deduplicate: a portal session is a short-lived link, one per click.
            var session = await new PortalSessions.SessionService(client).CreateAsync(
                new PortalSessions.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl.ToString() },
                cancellationToken: cancellationToken);
            return new Uri(session.Url);
        }, cancellationToken);

    private static string TenantId(Guid tenantId) => tenantId.ToString("D", CultureInfo.InvariantCulture);
}
