using CustomerInfo.Application.Billing;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>The Stripe.net gateway for customers, Checkout and the portal, against the loopback fake.</summary>
public class StripeCheckoutTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>
{
    private IStripeCheckout Stripe => app.Services.GetRequiredService<IStripeCheckout>();

    private static CheckoutStart Start(Guid tenantId, string customerId, int stores = 2, string storePrice = BillingAppFactory.StorePrice) =>
        new(tenantId, customerId, BillingAppFactory.Plan, storePrice, BillingAppFactory.SignUpPrice, stores,
            new Uri("https://acme.localhost/admin/billing/return?session_id={CHECKOUT_SESSION_ID}"), new Uri("https://acme.localhost/admin/billing?checkout=canceled"),
            AutomaticTax: true, Locale: "nl");

    [Fact]
    public async Task A_tenant_s_customer_is_created_once_with_the_tenant_in_its_metadata()
    {
        var tenantId = Guid.NewGuid();

        var first = await Stripe.CreateCustomerAsync(tenantId, "Acme Shoes", "owner@acme.test", default);
        var again = await Stripe.CreateCustomerAsync(tenantId, "Acme Shoes", "owner@acme.test", default);

        again.ShouldBe(first);
        var customers = app.Stripe.State.All("customer").Where(c => c["metadata"]?["tenant_id"]?.ToString() == tenantId.ToString()).ToList();
        customers.Count.ShouldBe(1);
        customers[0]["name"]!.ToString().ShouldBe("Acme Shoes");
        customers[0]["email"]!.ToString().ShouldBe("owner@acme.test");
    }

    [Fact]
    public async Task A_checkout_session_bills_the_stores_and_the_meter_collects_the_VAT_id_and_names_the_tenant()
    {
        var tenantId = Guid.NewGuid();
        var customer = await Stripe.CreateCustomerAsync(tenantId, "Acme Shoes", "owner@acme.test", default);

        var url = await Stripe.StartCheckoutAsync(Start(tenantId, customer, stores: 3), default);

        url.ToString().ShouldStartWith($"{app.Stripe.BaseUrl}/checkout/cs_test_");
        var session = app.Stripe.State.Get(url.Segments[^1])!;
        session["mode"]!.ToString().ShouldBe("subscription");
        session["customer"]!.ToString().ShouldBe(customer);
        session["client_reference_id"]!.ToString().ShouldBe(tenantId.ToString());
        session["metadata"]!["tenant_id"]!.ToString().ShouldBe(tenantId.ToString());
        session["metadata"]!["plan_id"]!.ToString().ShouldBe(BillingAppFactory.Plan);
        session["tax_id_collection"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
        session["automatic_tax"]!["enabled"]!.GetValue<bool>().ShouldBeTrue();
        session["locale"]!.ToString().ShouldBe("nl");
        session["success_url"]!.ToString().ShouldBe("https://acme.localhost/admin/billing/return?session_id={CHECKOUT_SESSION_ID}");
        app.Stripe.CheckoutItemsOf(session["id"]!.ToString()).ShouldBe([new StripeFakeItem(BillingAppFactory.StorePrice, 3), new StripeFakeItem(BillingAppFactory.SignUpPrice, null)]);
        var sent = app.Stripe.Requests.Last(r => r.PathAndQuery == "/v1/checkout/sessions");
        sent.Param("subscription_data.metadata.tenant_id").ShouldBe(tenantId.ToString());
        sent.Param("customer_update.name").ShouldBe("auto");
        sent.Header("Idempotency-Key").ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_portal_session_is_for_the_customer_and_returns_to_the_billing_page()
    {
        var customer = await Stripe.CreateCustomerAsync(Guid.NewGuid(), "Acme Shoes", "owner@acme.test", default);

        var url = await Stripe.StartPortalAsync(customer, new Uri("https://acme.localhost/admin/billing"), default);

        url.ToString().ShouldStartWith($"{app.Stripe.BaseUrl}/portal/bps_");
        var session = app.Stripe.State.Get(url.Segments[^1])!;
        session["customer"]!.ToString().ShouldBe(customer);
        session["return_url"]!.ToString().ShouldBe("https://acme.localhost/admin/billing");
    }

    [Fact]
    public async Task What_Stripe_refuses_is_a_refusal_with_Stripe_s_message()
    {
        var customer = await Stripe.CreateCustomerAsync(Guid.NewGuid(), "Acme Shoes", "owner@acme.test", default);

        var missing = await Should.ThrowAsync<StripeRefusedException>(() => Stripe.StartCheckoutAsync(Start(Guid.NewGuid(), customer, storePrice: ""), default));
        var unknown = await Should.ThrowAsync<StripeRefusedException>(() => Stripe.StartPortalAsync("cus_nobody", new Uri("https://acme.localhost/admin/billing"), default));

        missing.Code.ShouldBe("parameter_missing");
        missing.Message.ShouldBe("Missing required param: line_items[0][price].");
        unknown.Code.ShouldBe("resource_missing");
    }

    [Theory]
    [InlineData(StripeFault.TooManyRequests)]
    [InlineData(StripeFault.ServerError)]
    [InlineData(StripeFault.Timeout)]
    public async Task Stripe_slowing_us_down_failing_or_not_answering_is_unavailable_for_now(StripeFault fault)
    {
        var customer = await Stripe.CreateCustomerAsync(Guid.NewGuid(), "Acme Shoes", "owner@acme.test", default);
        app.Stripe.Options.SlowAnswer = TimeSpan.FromSeconds(8);
        app.Stripe.FailNext(fault, times: 3);
        try
        {
            await Should.ThrowAsync<StripeUnavailableException>(() => Stripe.StartCheckoutAsync(Start(Guid.NewGuid(), customer), default));
        }
        finally
        {
            await DrainFaultsAsync();
        }
    }

    /// <summary>Answers the faults Stripe.net's own retries did not take, so the next test meets a working fake.</summary>
    private async Task DrainFaultsAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Stripe.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Stripe.Options.ApiKey);
        while ((await client.GetAsync("/v1/customers/cus_nobody")).StatusCode != System.Net.HttpStatusCode.NotFound)
        {
        }
    }
}
