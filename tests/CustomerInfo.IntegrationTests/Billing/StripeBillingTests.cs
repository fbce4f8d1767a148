using System.Net.Http.Headers;
using CustomerInfo.Application.Billing;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>The Stripe.net implementation of the billing port against the loopback fake: the requests it makes, and Stripe's failures.</summary>
public class StripeBillingTests(ClockedBillingAppFactory app) : IClassFixture<ClockedBillingAppFactory>, IAsyncLifetime
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_newest_subscription_is_read_with_its_items()
    {
        var tenant = await app.AddSubscribedTenantAsync("newest", app.Clock.UtcNow.AddDays(-30));

        var subscription = await WithBilling(b => b.GetSubscriptionAsync(tenant.CustomerId, default));

        subscription.ShouldNotBeNull();
        subscription.Id.ShouldBe(tenant.SubscriptionId);
        subscription.Status.ShouldBe("active");
        subscription.Created.ShouldBe(app.Clock.UtcNow.AddDays(-30), TimeSpan.FromSeconds(1));
        subscription.Items.Select(i => (i.PriceId, i.Quantity)).ShouldBe([(BillingAppFactory.StorePrice, 1L), (BillingAppFactory.SignUpPrice, (long?)null)]);
        subscription.CurrentPeriodEnd.ShouldNotBeNull();
        var asked = app.Stripe.Requests.Last(r => r.PathAndQuery.StartsWith("/v1/subscriptions", StringComparison.Ordinal));
        (asked.Param("customer"), asked.Param("status"), asked.Param("limit")).ShouldBe((tenant.CustomerId, "all", "1"));
    }

    [Fact]
    public async Task A_customer_without_a_subscription_has_none()
    {
        var customer = app.Stripe.NewCustomer(Guid.NewGuid());

        (await WithBilling(b => b.GetSubscriptionAsync(customer, default))).ShouldBeNull();
        (await WithBilling(b => b.PreviewNextInvoiceAsync(customer, default))).ShouldBeNull();
    }

    [Fact]
    public async Task The_store_quantity_is_set_on_the_item_with_the_given_idempotency_key()
    {
        var tenant = await app.AddSubscribedTenantAsync("quantity", app.Clock.UtcNow.AddDays(-30));

        await WithBilling(async b =>
        {
            await b.SetStoreQuantityAsync(tenant.StoreItemId, 3, "quantity-key-1", default);
            return true;
        });

        var request = app.Stripe.Requests.Single(r => r.Method == "POST" && r.PathAndQuery == $"/v1/subscription_items/{tenant.StoreItemId}");
        request.Param("quantity").ShouldBe("3");
        request.Header("Idempotency-Key").ShouldBe("quantity-key-1");
        app.Stripe.SubscriptionsOf(tenant.CustomerId)[0]["items"]!["data"]![0]!["quantity"]!.GetValue<long>().ShouldBe(3);
    }

    [Fact]
    public async Task Usage_is_a_meter_event_in_its_day_and_a_retry_of_it_counts_once()
    {
        var tenant = await app.AddSubscribedTenantAsync("meter", app.Clock.UtcNow.AddDays(-30));

        await Report(tenant.CustomerId, 12, "meter-identifier-1");
        await Report(tenant.CustomerId, 12, "meter-identifier-1");

        var request = app.Stripe.Requests.First(r => r.PathAndQuery == "/v1/billing/meter_events" && r.Param("payload.stripe_customer_id") == tenant.CustomerId);
        (request.Param("event_name"), request.Param("payload.value"), request.Param("identifier")).ShouldBe(("kiosk_sign_ups", "12", "meter-identifier-1"));
        request.Header("Idempotency-Key").ShouldBe("meter-identifier-1");
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Param("timestamp")!, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldBe(new DateTimeOffset(Day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero));
        app.Stripe.MeteredValue(tenant.CustomerId, Day).ShouldBe(12);
    }

    [Fact]
    public async Task An_identifier_Stripe_already_holds_counts_as_reported()
    {
        var tenant = await app.AddSubscribedTenantAsync("held", app.Clock.UtcNow.AddDays(-30));
        // An earlier report whose idempotency key Stripe has forgotten, but not its identifier.
        using var http = new HttpClient { BaseAddress = new Uri(app.Stripe.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Stripe.Options.ApiKey);
        var earlier = await http.PostAsync("/v1/billing/meter_events", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["event_name"] = "kiosk_sign_ups",
            ["identifier"] = "meter-identifier-2",
            ["payload[stripe_customer_id]"] = tenant.CustomerId,
            ["payload[value]"] = "5",
            ["timestamp"] = new DateTimeOffset(Day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        earlier.EnsureSuccessStatusCode();

        await Report(tenant.CustomerId, 5, "meter-identifier-2");

        app.Stripe.Requests[^1].Method.ShouldBe("POST");
        app.Stripe.MeteredValue(tenant.CustomerId, Day).ShouldBe(5);
    }

    [Fact]
    public async Task A_day_older_than_Stripe_takes_is_refused()
    {
        var tenant = await app.AddSubscribedTenantAsync("old", app.Clock.UtcNow.AddDays(-30));

        var refused = await Should.ThrowAsync<StripeRefusedException>(() => WithBilling(async b =>
        {
            await b.ReportUsageAsync(tenant.CustomerId, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-40), 1, "too-old", default);
            return true;
        }));

        refused.Message.ShouldContain("35");
    }

    [Fact]
    public async Task The_next_invoice_is_previewed_for_the_subscription()
    {
        var tenant = await app.AddSubscribedTenantAsync("preview", app.Clock.UtcNow.AddDays(-30));
        app.Stripe.Prices[BillingAppFactory.StorePrice] = new StripeFakePrice(2900);
        await WithBilling(async b =>
        {
            await b.SetStoreQuantityAsync(tenant.StoreItemId, 2, "preview-quantity", default);
            return true;
        });

        var preview = await WithBilling(b => b.PreviewNextInvoiceAsync(tenant.CustomerId, default));

        preview.ShouldNotBeNull();
        preview.AmountDue.ShouldBe(5800);
        preview.Currency.ShouldBe("eur");
        preview.NextPaymentAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var request = app.Stripe.Requests.Last(r => r.PathAndQuery == "/v1/invoices/create_preview");
        (request.Param("customer"), request.Param("subscription")).ShouldBe((tenant.CustomerId, tenant.SubscriptionId));
    }

    [Fact]
    public async Task A_canceled_subscription_has_no_next_invoice()
    {
        var tenant = await app.AddSubscribedTenantAsync("ended", app.Clock.UtcNow.AddDays(-30));
        await app.Stripe.DeleteSubscriptionAsync(tenant.SubscriptionId);

        (await WithBilling(b => b.PreviewNextInvoiceAsync(tenant.CustomerId, default))).ShouldBeNull();
    }

    [Theory]
    [InlineData(StripeFault.TooManyRequests)]
    [InlineData(StripeFault.ServerError)]
    [InlineData(StripeFault.Timeout)]
    public async Task Stripe_answering_429_or_500_or_not_at_all_is_unavailable(StripeFault fault)
    {
        var tenant = await app.AddSubscribedTenantAsync("faulty", app.Clock.UtcNow.AddDays(-30));
        // Stripe.net tries a read that timed out or got a 500 three times (maxNetworkRetries: 2); a 429
        // it gives up on at once. Then it is the port's to say "try later".
        app.Stripe.FailNext(fault, times: fault == StripeFault.TooManyRequests ? 1 : 3);

        await Should.ThrowAsync<StripeUnavailableException>(() => WithBilling(b => b.GetSubscriptionAsync(tenant.CustomerId, default)));

        (await WithBilling(b => b.GetSubscriptionAsync(tenant.CustomerId, default))).ShouldNotBeNull();
    }

    private async Task Report(string customerId, long signUps, string identifier)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IStripeBilling>().ReportUsageAsync(customerId, Day, signUps, identifier, default);
    }

    private async Task<T> WithBilling<T>(Func<IStripeBilling, Task<T>> use)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IStripeBilling>());
    }
}
