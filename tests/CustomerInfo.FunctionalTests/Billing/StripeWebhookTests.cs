using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CustomerInfo.Application.Billing.RecordStripeWebhook;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>Stripe's events, made and signed by the fake as Stripe does, delivered to the app's <c>/stripe/webhook</c>.</summary>
public class StripeWebhookTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private Guid acme;

    /// <summary>The fake keeps every delivery of the class; a test looks at its own.</summary>
    private int deliveriesBefore;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        deliveriesBefore = app.Stripe.Deliveries.Count;
        acme = await app.AddStoreAsync("acme", "Acme", TenantStatus.Trialing);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_paid_checkout_links_the_customer_and_makes_the_trial_tenant_active()
    {
        var customer = await app.AddCustomerAsync(acme, link: false);

        var sent = await app.Stripe.SendEventAsync("checkout.session.completed", StripeWebhooks.CompletedCheckout(acme, customer, "sub_from_checkout"));

        LastAnswer().Status.ShouldBe(200);
        var tenant = await app.TenantAsync(acme);
        tenant.Status.ShouldBe(TenantStatus.Active);
        tenant.StripeCustomerId.ShouldBe(customer);
        tenant.SubscriptionId.ShouldBe("sub_from_checkout");
        tenant.PlanId.ShouldBe(BillingAppFactory.Plan);
        (await app.StoredEventAsync(sent["id"]!.ToString()))!.Outcome.ShouldBe(StripeEventOutcome.Handled);
    }

    [Fact]
    public async Task A_checkout_whose_payment_is_still_settling_links_the_customer_but_grants_nothing_yet()
    {
        var customer = await app.AddCustomerAsync(acme, link: false);

        await app.Stripe.SendEventAsync("checkout.session.completed", StripeWebhooks.CompletedCheckout(acme, customer, "sub_settling", paymentStatus: "unpaid"));

        var tenant = await app.TenantAsync(acme);
        tenant.StripeCustomerId.ShouldBe(customer);
        tenant.Status.ShouldBe(TenantStatus.Trialing);
    }

    [Fact]
    public async Task A_checkout_naming_a_tenant_that_has_another_customer_is_refused_and_changes_nothing()
    {
        await app.AddCustomerAsync(acme);
        var stranger = await app.AddStrangerAsync();
        var before = await app.TenantEventsAsync(acme);

        var sent = await app.Stripe.SendEventAsync("checkout.session.completed", StripeWebhooks.CompletedCheckout(acme, stranger, "sub_elsewhere"));

        LastAnswer().Status.ShouldBe(200);
        (await app.TenantEventsAsync(acme)).Count.ShouldBe(before.Count);
        (await app.StoredEventAsync(sent["id"]!.ToString()))!.Outcome.ShouldBe(StripeEventOutcome.Refused);
    }

    [Fact]
    public async Task A_created_subscription_makes_the_tenant_active_on_the_plan_of_its_price()
    {
        var customer = await app.AddCustomerAsync(acme);

        var subscription = await app.SubscribeAsync(customer);

        var tenant = await app.TenantAsync(acme);
        tenant.Status.ShouldBe(TenantStatus.Active);
        tenant.SubscriptionId.ShouldBe(subscription);
        tenant.PlanId.ShouldBe(BillingAppFactory.Plan);
    }

    [Fact]
    public async Task A_subscription_updated_to_past_due_gives_the_grace_period_from_the_event_s_time()
    {
        var subscription = await app.SubscribeAsync(await app.AddCustomerAsync(acme));

        var sent = await app.Stripe.SetSubscriptionStatusAsync(subscription, "past_due");

        var tenant = await app.TenantAsync(acme);
        tenant.Status.ShouldBe(TenantStatus.PastDue);
        var created = DateTimeOffset.FromUnixTimeSeconds(JsonNode.Parse(LastAnswer().Payload)!["created"]!.GetValue<long>());
        tenant.GraceEndsAt.ShouldBe(created.AddDays(7));
        sent["status"]!.ToString().ShouldBe("past_due");
    }

    [Fact]
    public async Task A_deleted_subscription_cancels_the_tenant()
    {
        var subscription = await app.SubscribeAsync(await app.AddCustomerAsync(acme));

        await app.Stripe.DeleteSubscriptionAsync(subscription);

        var tenant = await app.TenantAsync(acme);
        tenant.Status.ShouldBe(TenantStatus.Canceled);
        tenant.EndedSubscriptionId.ShouldBe(subscription);
    }

    [Fact]
    public async Task A_stripe_trial_ending_is_stored_and_changes_nothing()
    {
        var subscription = await app.SubscribeAsync(await app.AddCustomerAsync(acme));
        var before = await app.TenantEventsAsync(acme);

        var sent = await app.Stripe.SendEventAsync("customer.subscription.trial_will_end", app.SubscriptionAs(subscription, "trialing"));

        LastAnswer().Status.ShouldBe(200);
        (await app.TenantEventsAsync(acme)).Count.ShouldBe(before.Count);
        (await app.StoredEventAsync(sent["id"]!.ToString()))!.Outcome.ShouldBe(StripeEventOutcome.Ignored);
    }

    [Fact]
    public async Task A_failed_invoice_makes_the_tenant_past_due_and_a_paid_one_active_again()
    {
        var subscription = await app.SubscribeAsync(await app.AddCustomerAsync(acme));

        await app.Stripe.InvoiceAsync(subscription, 2900, paid: false);
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.PastDue);

        await app.Stripe.InvoiceAsync(subscription, 2900, paid: true);
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);
        OwnDeliveries().ShouldAllBe(d => d.Status == 200);
    }

    [Fact]
    public async Task The_invoice_events_alone_move_the_tenant_without_the_subscription_s_updates()
    {
        var customer = await app.AddCustomerAsync(acme);
        var subscription = await app.SubscribeAsync(customer);

        await app.Stripe.SendEventAsync("invoice.payment_failed", StripeWebhooks.InvoiceOf(customer, subscription, paid: false));
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.PastDue);

        await app.Stripe.SendEventAsync("invoice.paid", StripeWebhooks.InvoiceOf(customer, subscription, paid: true));
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);
    }

    [Fact]
    public async Task An_event_an_app_does_not_handle_is_stored_as_ignored()
    {
        var sent = await app.Stripe.SendEventAsync("customer.created", StripeFixtures.New("customer"));

        LastAnswer().Status.ShouldBe(200);
        (await app.StoredEventAsync(sent["id"]!.ToString()))!.Outcome.ShouldBe(StripeEventOutcome.Ignored);
    }

    [Fact]
    public async Task A_duplicate_delivery_answers_200_and_acts_once()
    {
        var customer = await app.AddCustomerAsync(acme, link: false);
        var sent = await app.Stripe.SendEventAsync("checkout.session.completed", StripeWebhooks.CompletedCheckout(acme, customer, "sub_once"));
        var after = await app.TenantEventsAsync(acme);

        var again = await app.Stripe.DeliverAsync(sent);

        again!.Status.ShouldBe(200);
        again.Answer.ShouldBe(nameof(StripeEventOutcome.Duplicate));
        (await app.TenantEventsAsync(acme)).Count.ShouldBe(after.Count);
        after.OfType<TenantSubscribed>().Count().ShouldBe(1);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_at_once_acts_once()
    {
        var customer = await app.AddCustomerAsync(acme);
        var stripeEvent = StripeWebhooks.EventAt(
            "customer.subscription.created", SubscriptionObject(customer, "sub_raced", "active"), DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Stripe.DeliverAsync(stripeEvent)));

        answers.ShouldAllBe(a => a!.Status == 200);
        answers.Count(a => a!.Answer == nameof(StripeEventOutcome.Handled)).ShouldBe(1);
        (await app.TenantEventsAsync(acme)).OfType<TenantSubscribed>().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_late_update_never_undoes_a_newer_deletion()
    {
        var customer = await app.AddCustomerAsync(acme);
        var subscription = await app.SubscribeAsync(customer);
        var earlier = StripeWebhooks.EventAt("customer.subscription.updated", app.SubscriptionAs(subscription, "active"), DateTimeOffset.UtcNow.AddMinutes(-1));

        await app.Stripe.DeleteSubscriptionAsync(subscription);
        (await app.Stripe.DeliverAsync(earlier))!.Status.ShouldBe(200);

        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Canceled);
    }

    [Fact]
    public async Task A_late_payment_failure_never_undoes_a_newer_payment()
    {
        var customer = await app.AddCustomerAsync(acme);
        var now = DateTimeOffset.UtcNow;
        await app.Stripe.DeliverAsync(StripeWebhooks.EventAt("customer.subscription.created", SubscriptionObject(customer, "sub_paid", "active"), now.AddHours(-2)));
        var failed = StripeWebhooks.EventAt("invoice.payment_failed", StripeWebhooks.InvoiceOf(customer, "sub_paid", paid: false), now.AddHours(-1));
        var paid = StripeWebhooks.EventAt("invoice.paid", StripeWebhooks.InvoiceOf(customer, "sub_paid", paid: true), now);

        await app.Stripe.DeliverAsync(paid);
        await app.Stripe.DeliverAsync(failed);

        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);
        OwnDeliveries().ShouldAllBe(d => d.Status == 200);
    }

    [Fact]
    public async Task A_replayed_delivery_signed_long_ago_is_refused()
    {
        var stripeEvent = StripeWebhooks.EventAt("customer.subscription.created", SubscriptionObject(await app.AddCustomerAsync(acme), "sub_replayed", "active"), DateTimeOffset.UtcNow);
        var payload = stripeEvent.ToJsonString();

        var response = await PostAsync(payload, StripeFakeServer.SignatureHeader(payload, app.Stripe.Options.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-6)));

        (await AppFactory.ReadAsync(response, HttpStatusCode.BadRequest)).ShouldContain("replay");
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Trialing);
        (await app.StoredEventAsync(stripeEvent["id"]!.ToString())).ShouldBeNull();
    }

    [Fact]
    public async Task An_unsigned_delivery_is_refused() =>
        (await AppFactory.ReadAsync(await PostAsync(SignedLooking().ToJsonString(), signature: null), HttpStatusCode.BadRequest)).ShouldContain("Stripe-Signature");

    [Fact]
    public async Task A_delivery_signed_with_another_secret_is_refused()
    {
        var payload = SignedLooking().ToJsonString();

        var response = await PostAsync(payload, StripeFakeServer.SignatureHeader(payload, "whsec_someone_else", DateTimeOffset.UtcNow));

        (await AppFactory.ReadAsync(response, HttpStatusCode.BadRequest)).ShouldContain("does not match");
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Trialing);
    }

    [Fact]
    public async Task A_tampered_body_is_refused()
    {
        var payload = SignedLooking().ToJsonString();
        var signature = StripeFakeServer.SignatureHeader(payload, app.Stripe.Options.WebhookSecret, DateTimeOffset.UtcNow);

        var response = await PostAsync(payload.Replace("active", "canceled", StringComparison.Ordinal), signature);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"evt_1\"}")]
    public async Task A_signed_body_that_is_not_a_stripe_event_is_refused(string payload)
    {
        var delivery = await app.Stripe.DeliverAsync(payload);

        delivery!.Status.ShouldBe(400);
        delivery.Answer.ShouldContain("not a Stripe event");
    }

    [Fact]
    public async Task An_event_of_another_api_version_is_refused()
    {
        var stripeEvent = StripeWebhooks.EventAt(
            "customer.subscription.created", SubscriptionObject(await app.AddCustomerAsync(acme), "sub_old_api", "active"), DateTimeOffset.UtcNow, apiVersion: "2024-06-20");

        var delivery = await app.Stripe.DeliverAsync(stripeEvent);

        delivery!.Status.ShouldBe(400);
        delivery.Answer.ShouldContain("2024-06-20");
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Trialing);
    }

    [Fact]
    public async Task An_event_for_a_customer_no_tenant_has_is_stored_and_changes_nothing()
    {
        var stranger = await app.AddStrangerAsync();
        var before = await app.TenantEventsAsync(acme);

        var sent = await app.Stripe.SendEventAsync("customer.subscription.created", SubscriptionObject(stranger, "sub_stranger", "active"));

        LastAnswer().Status.ShouldBe(200);
        (await app.StoredEventAsync(sent["id"]!.ToString()))!.Outcome.ShouldBe(StripeEventOutcome.UnknownCustomer);
        (await app.TenantEventsAsync(acme)).Count.ShouldBe(before.Count);
    }

    [Fact]
    public async Task The_webhook_is_not_on_store_hosts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stripe/webhook") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        (await app.ClientFor("acme.localhost").SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_unread()
    {
        var payload = "{\"id\":\"" + new string('x', StripeWebhookEndpointLimit) + "\"}";

        var response = await PostAsync(payload, StripeFakeServer.SignatureHeader(payload, app.Stripe.Options.WebhookSecret, DateTimeOffset.UtcNow));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Trial_to_checkout_to_past_due_to_closed_and_back_to_active()
    {
        var kiosk = app.ClientFor("acme.localhost");
        // Not linked yet: the subscription's own event finds no tenant, and only the completed checkout grants access.
        var customer = await app.AddCustomerAsync(acme, link: false);
        var subscription = await app.SubscribeAsync(customer);
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Trialing);

        await app.Stripe.SendEventAsync("checkout.session.completed", StripeWebhooks.CompletedCheckout(acme, customer, subscription));
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);

        await app.Stripe.InvoiceAsync(subscription, 2900, paid: false);
        var pastDue = await app.TenantAsync(acme);
        pastDue.Status.ShouldBe(TenantStatus.PastDue);
        (await kiosk.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // What the billing run records once the grace deadline has passed.
        var graceOver = await app.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, new TenantFact.EndGrace(pastDue.GraceEndsAt!.Value.AddMinutes(1)), default);
        graceOver.Outcome.ShouldBe(TenantChangeOutcome.Changed);
        var closed = await kiosk.GetAsync("/");
        var page = await AppFactory.ReadAsync(closed, HttpStatusCode.Forbidden);
        page.ShouldContain("unavailable", Case.Insensitive);
        page.ShouldNotContain("payment", Case.Insensitive);

        await app.Stripe.InvoiceAsync(subscription, 2900, paid: true);
        (await app.TenantAsync(acme)).Status.ShouldBe(TenantStatus.Active);
        (await kiosk.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        OwnDeliveries().ShouldAllBe(d => d.Status == 200);
    }

    private const int StripeWebhookEndpointLimit = Web.Billing.StripeWebhookEndpoint.MaxBodyBytes;

    private StripeWebhookDelivery LastAnswer() => app.Stripe.Deliveries[^1];

    private IEnumerable<StripeWebhookDelivery> OwnDeliveries() => app.Stripe.Deliveries.Skip(deliveriesBefore);

    private static JsonObject SignedLooking() =>
        StripeWebhooks.EventAt("customer.subscription.updated", SubscriptionObject("cus_nobody", "sub_nobody", "active"), DateTimeOffset.UtcNow);

    /// <summary>A subscription on the store plan as Stripe sends it, without the fake holding it.</summary>
    private static JsonObject SubscriptionObject(string customerId, string subscriptionId, string status)
    {
        var subscription = StripeFixtures.New("subscription");
        subscription["id"] = subscriptionId;
        subscription["customer"] = customerId;
        subscription["status"] = status;
        var item = subscription["items"]!["data"]![0]!.AsObject();
        item["price"]!["id"] = BillingAppFactory.StorePrice;
        item["subscription"] = subscriptionId;
        return subscription;
    }

    private async Task<HttpResponseMessage> PostAsync(string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await app.ClientFor("localhost").SendAsync(request);
    }
}
