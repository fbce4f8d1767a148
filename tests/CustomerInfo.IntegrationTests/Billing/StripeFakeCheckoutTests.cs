using System.Net;
using System.Text.Json.Nodes;
using CustomerInfo.Application.Billing;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>The fake's hosted Checkout and Portal pages: each button moves the subscription as Stripe would and sends Stripe's events.</summary>
public sealed class StripeFakeCheckoutTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IDisposable
{
    private readonly HttpClient browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    public void Dispose() => browser.Dispose();

    private IStripeCheckout Stripe => app.Services.GetRequiredService<IStripeCheckout>();

    private async Task<(string Customer, string SessionId, Uri Url)> CheckoutAsync()
    {
        var tenantId = Guid.NewGuid();
        var customer = await Stripe.CreateCustomerAsync(tenantId, "Acme Shoes", "owner@acme.test", default);
        var url = await Stripe.StartCheckoutAsync(
            new CheckoutStart(tenantId, customer, BillingAppFactory.Plan, BillingAppFactory.StorePrice, BillingAppFactory.SignUpPrice, 2,
                new Uri("https://acme.localhost/admin/billing/return?session_id={CHECKOUT_SESSION_ID}"), new Uri("https://acme.localhost/admin/billing?checkout=canceled"), false, "en"),
            default);
        return (customer, url.Segments[^1], url);
    }

    private List<string> EventsAbout(string customer) =>
        [.. app.Stripe.Deliveries.Select(d => JsonNode.Parse(d.Payload)!)
            .Where(e => e["data"]!["object"]!["customer"]?.ToString() == customer)
            .Select(e => e["type"]!.ToString())];

    [Fact]
    public async Task Paying_subscribes_completes_the_session_pays_the_first_invoice_and_sends_the_owner_back_with_the_session_id()
    {
        app.Stripe.PriceAmounts[BillingAppFactory.StorePrice] = 2900;
        var (customer, sessionId, url) = await CheckoutAsync();
        var page = await browser.GetStringAsync(url);
        page.ShouldContain(BillingAppFactory.StorePrice);
        page.ShouldContain("<button type=\"submit\" class=\"primary\">Pay</button>");

        var paid = await browser.PostAsync($"{url}/pay", null);

        paid.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        paid.Headers.Location!.ToString().ShouldBe($"https://acme.localhost/admin/billing/return?session_id={sessionId}");
        var subscription = app.Stripe.SubscriptionsOf(customer).ShouldHaveSingleItem();
        subscription["status"]!.ToString().ShouldBe("active");
        subscription["metadata"]!["plan_id"]!.ToString().ShouldBe(BillingAppFactory.Plan);
        var session = app.Stripe.State.Get(sessionId)!;
        session["status"]!.ToString().ShouldBe("complete");
        session["subscription"]!.ToString().ShouldBe(subscription["id"]!.ToString());
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", app.Stripe.Options.ApiKey);
        var answered = JsonNode.Parse(await api.GetStringAsync($"{app.Stripe.BaseUrl}/v1/checkout/sessions/{sessionId}"))!.AsObject();
        answered["status"]!.ToString().ShouldBe("complete");
        answered.ContainsKey("subscription_data_metadata").ShouldBeFalse();
        EventsAbout(customer).ShouldBe(["customer.subscription.created", "checkout.session.completed", "invoice.paid"]);
        app.Stripe.State.All("invoice").Last(i => i["customer"]!.ToString() == customer)["amount_paid"]!.GetValue<long>().ShouldBe(5800);

        (await browser.PostAsync($"{url}/pay", null)).StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        app.Stripe.SubscriptionsOf(customer).Count.ShouldBe(1, "a second click pays nothing twice");
    }

    [Fact]
    public async Task A_declined_card_leaves_the_session_open_and_cancel_goes_back_to_the_cancel_url()
    {
        var (customer, sessionId, url) = await CheckoutAsync();

        var declined = await browser.PostAsync($"{url}/decline", null);
        var canceled = await browser.PostAsync($"{url}/cancel", null);

        declined.StatusCode.ShouldBe(HttpStatusCode.PaymentRequired);
        (await declined.Content.ReadAsStringAsync()).ShouldContain("Your card was declined.");
        app.Stripe.State.Get(sessionId)!["status"]!.ToString().ShouldBe("open");
        canceled.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        canceled.Headers.Location!.ToString().ShouldBe("https://acme.localhost/admin/billing?checkout=canceled");
        app.Stripe.SubscriptionsOf(customer).ShouldBeEmpty();
        EventsAbout(customer).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_portal_fails_a_payment_pays_it_cancels_and_returns_each_with_Stripe_s_events()
    {
        var (customer, sessionId, _) = await CheckoutAsync();
        await app.Stripe.CompleteCheckoutAsync(sessionId);
        var portal = await Stripe.StartPortalAsync(customer, new Uri("https://acme.localhost/admin/billing"), default);
        var before = EventsAbout(customer).Count;

        (await (await browser.PostAsync($"{portal}/fail", null)).Content.ReadAsStringAsync()).ShouldContain("is <strong>past_due</strong>");
        (await (await browser.PostAsync($"{portal}/pay", null)).Content.ReadAsStringAsync()).ShouldContain("is <strong>active</strong>");
        (await (await browser.PostAsync($"{portal}/cancel", null)).Content.ReadAsStringAsync()).ShouldContain("There is no subscription to manage.");
        var back = await browser.PostAsync($"{portal}/return", null);

        EventsAbout(customer).Skip(before).ShouldBe([
            "customer.subscription.updated", "invoice.payment_failed",
            "customer.subscription.updated", "invoice.paid",
            "customer.subscription.deleted"]);
        back.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        back.Headers.Location!.ToString().ShouldBe("https://acme.localhost/admin/billing");
    }
}
