using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CustomerInfo.Application.Billing.RecordStripeWebhook;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport.Billing;

/// <summary>Stripe's side of a billing test: customers in the fake, events made and signed as Stripe does, and what the app made of them.</summary>
public static class StripeWebhooks
{
    /// <summary>A customer in the fake with the tenant id in its metadata, linked to the tenant (as starting a Checkout does) unless <paramref name="link"/> is false.</summary>
    public static async Task<string> AddCustomerAsync(this BillingAppFactory app, Guid tenantId, bool link = true)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Stripe.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Stripe.Options.ApiKey);
        using var response = await client.PostAsync("/v1/customers", new FormUrlEncodedContent([new("metadata[tenant_id]", tenantId.ToString())]));
        response.EnsureSuccessStatusCode();
        var customer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.ToString();
        if (link)
        {
            await app.Services.GetRequiredService<TenantFacts>().RecordAsync(tenantId, new TenantFact.LinkStripeCustomer(customer, DateTimeOffset.UtcNow), default);
        }

        return customer;
    }

    /// <summary>A customer in the fake that no tenant knows.</summary>
    public static async Task<string> AddStrangerAsync(this BillingAppFactory app)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Stripe.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Stripe.Options.ApiKey);
        using var response = await client.PostAsync("/v1/customers", new FormUrlEncodedContent([]));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.ToString();
    }

    /// <summary>The store's subscription in the fake, as a completed Checkout makes it (sends <c>customer.subscription.created</c>).</summary>
    public static async Task<string> SubscribeAsync(this BillingAppFactory app, string customerId) =>
        (await app.Stripe.CreateSubscriptionAsync(customerId, [new(BillingAppFactory.StorePrice, 1), new(BillingAppFactory.SignUpPrice, null)]))["id"]!.ToString();

    /// <summary>A completed Checkout Session of the tenant, as Stripe sends it in <c>checkout.session.completed</c>.</summary>
    public static JsonObject CompletedCheckout(Guid tenantId, string customerId, string subscriptionId, string paymentStatus = "paid")
    {
        var session = StripeFixtures.New("checkout.session");
        session["id"] = "cs_test_" + Guid.NewGuid().ToString("N");
        session["mode"] = "subscription";
        session["status"] = "complete";
        session["payment_status"] = paymentStatus;
        session["client_reference_id"] = tenantId.ToString();
        session["customer"] = customerId;
        session["subscription"] = subscriptionId;
        session["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString(), ["plan_id"] = BillingAppFactory.Plan };
        return session;
    }

    /// <summary>
    /// An event as <see cref="StripeFakeServer.SendEventAsync"/> makes it, but created at
    /// <paramref name="created"/>: to deliver late (out of order) with <see cref="StripeFakeServer.DeliverAsync(JsonObject, CancellationToken)"/>.
    /// </summary>
    public static JsonObject EventAt(string type, JsonObject dataObject, DateTimeOffset created, string apiVersion = StripeFakeServer.ApiVersion)
    {
        var stripeEvent = StripeFixtures.New("event");
        stripeEvent["id"] = "evt_" + Guid.NewGuid().ToString("N");
        stripeEvent["type"] = type;
        stripeEvent["api_version"] = apiVersion;
        stripeEvent["created"] = created.ToUnixTimeSeconds();
        stripeEvent["livemode"] = false;
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null };
        stripeEvent["data"] = new JsonObject { ["object"] = dataObject.DeepClone() };
        return stripeEvent;
    }

    /// <summary>The subscription's object in the fake as it is now, with <paramref name="status"/> (a copy: the fake does not change).</summary>
    public static JsonObject SubscriptionAs(this BillingAppFactory app, string subscriptionId, string status)
    {
        var subscription = app.Stripe.State.Get(subscriptionId)!;
        subscription["status"] = status;
        return subscription;
    }

    /// <summary>An invoice of the subscription as Stripe sends it in <c>invoice.paid</c> / <c>invoice.payment_failed</c>.</summary>
    public static JsonObject InvoiceOf(string customerId, string subscriptionId, bool paid)
    {
        var invoice = StripeFixtures.New("invoice");
        invoice["id"] = "in_" + Guid.NewGuid().ToString("N");
        invoice["customer"] = customerId;
        invoice["status"] = paid ? "paid" : "open";
        invoice["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
        };
        return invoice;
    }

    public static async Task<Tenant> TenantAsync(this BillingAppFactory app, Guid tenantId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Tenant>(tenantId))!;
    }

    /// <summary>The tenant's lifecycle events, oldest first.</summary>
    public static async Task<IReadOnlyList<object>> TenantEventsAsync(this BillingAppFactory app, Guid tenantId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return [.. (await session.Events.FetchStreamAsync(tenantId)).Select(e => e.Data)];
    }

    public static async Task<StripeEventRecord?> StoredEventAsync(this BillingAppFactory app, string eventId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<StripeEventRecord>(eventId);
    }
}
