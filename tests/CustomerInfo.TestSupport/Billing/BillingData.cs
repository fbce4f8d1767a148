using System.Text.Json.Nodes;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport.Billing;

/// <summary>A subscribed tenant as the tests of the billing run see it: ours, and Stripe's ids.</summary>
public sealed record SubscribedTenant(Guid TenantId, string Identifier, string CustomerId, string SubscriptionId, string StoreItemId);

/// <summary>
/// Tenants with a Stripe customer and subscription, put straight into the fake's state and recorded
/// through <see cref="TenantFacts"/> (as Checkout's webhook would), and kiosk or imported sign-ups.
/// </summary>
public static class BillingData
{
    /// <summary>A customer in the fake, without a request (fast enough for thousands).</summary>
    public static string NewCustomer(this StripeFakeServer stripe, Guid tenantId)
    {
        var customer = StripeFixtures.New("customer");
        customer["id"] = StripeFakeState.NewId("cus");
        customer["created"] = stripe.State.Now.ToUnixTimeSeconds();
        customer["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString() };
        lock (stripe.State.Gate)
        {
            stripe.State.Put(customer);
        }

        return customer["id"]!.ToString();
    }

    /// <summary>
    /// An active tenant whose subscription (one store, and the metered sign-ups) started at
    /// <paramref name="startedAt"/>, and that the lifecycle knows as subscribed.
    /// </summary>
    public static async Task<SubscribedTenant> AddSubscribedTenantAsync(this BillingAppFactory app, string identifier, DateTimeOffset startedAt)
    {
        var tenantId = await app.AddStoreAsync(identifier, $"{identifier} store");
        var customerId = app.Stripe.NewCustomer(tenantId);
        var subscription = await app.Stripe.CreateSubscriptionAsync(customerId, [new(BillingAppFactory.StorePrice, 1), new(BillingAppFactory.SignUpPrice, null)]);
        var subscriptionId = subscription["id"]!.ToString();
        lock (app.Stripe.State.Gate)
        {
            app.Stripe.State.Live(subscriptionId)!["created"] = startedAt.ToUnixTimeSeconds();
        }

        var facts = app.Services.GetRequiredService<TenantFacts>();
        await facts.RecordAsync(tenantId, new TenantFact.LinkStripeCustomer(customerId, startedAt), default);
        await facts.RecordAsync(tenantId, new TenantFact.SubscriptionActive(subscriptionId, BillingAppFactory.Plan, startedAt), default);
        var storeItem = subscription["items"]!["data"]![0]!["id"]!.ToString();
        return new SubscribedTenant(tenantId, identifier, customerId, subscriptionId, storeItem);
    }

    /// <summary>A sign-up of the tenant received at <paramref name="receivedAt"/>, from the kiosk or an imported list.</summary>
    public static async Task AddSignUpAsync(this AppFactory app, Guid tenantId, DateTimeOffset receivedAt, SignUpSource source = SignUpSource.Kiosk)
    {
        var signUpId = Guid.NewGuid();
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString());
        session.Events.StartStream(signUpId, new SignUpSubmitted(
            signUpId, 1, "en", null, receivedAt, receivedAt, new Shopper("Test", null, null, null, null, null), [], null, null,
            Source: source, ImportId: source == SignUpSource.Import ? Guid.NewGuid() : null));
        await session.SaveChangesAsync();
    }
}

/// <summary>
/// The app with Stripe and a clock the test moves. The clock starts 20 days before the real time
/// (at 02:30 UTC, when the run is scheduled), because the fake checks meter timestamps against the
/// real time: the test can move days ahead and stay in Stripe's past.
/// </summary>
public class ClockedBillingAppFactory : BillingAppFactory
{
    public FakeClock Clock { get; } = new() { UtcNow = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-20).AddHours(2.5) };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IClock>(Clock);
}
