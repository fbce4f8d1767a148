using CustomerInfo.Application.Billing.Subscribe;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>Subscribing and managing, with the real handlers, PostgreSQL and the Stripe fake.</summary>
public class StartCheckoutTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes", TenantStatus.Trialing);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private TenantFacts Facts => app.Services.GetRequiredService<TenantFacts>();

    private async Task<Actor> OwnerAsync() => Actor.Member(acme, (await app.AddMemberAsync("acme", $"owner{Guid.NewGuid():N}@acme.test", TeamRole.Owner)).Id, TeamRole.Owner);

    private IReadOnlyList<StripeFakeItem> ItemsOf(Uri checkout) => app.Stripe.CheckoutItemsOf(checkout.Segments[^1]);

    [Fact]
    public async Task The_first_checkout_creates_the_customer_once_and_every_checkout_counts_the_active_stores()
    {
        var owner = await OwnerAsync();
        await app.SendAsync("acme", new AddStoreCommand("Acme Centre", "Europe/Amsterdam"));
        await app.SendAsync("acme", new AddStoreCommand("Acme Station", "Europe/Amsterdam"));

        var first = await app.SendAsync("acme", new StartCheckoutCommand(BillingAppFactory.Plan), owner);
        var second = await app.SendAsync("acme", new StartCheckoutCommand(null), owner);

        var tenant = await app.TenantAsync("acme");
        tenant.StripeCustomerId.ShouldNotBeNull();
        var customer = app.Stripe.State.Get(tenant.StripeCustomerId)!;
        customer["metadata"]!["tenant_id"]!.ToString().ShouldBe(acme.ToString());
        customer["email"]!.ToString().ShouldStartWith("owner");
        app.Stripe.State.All("customer").Count(c => c["metadata"]?["tenant_id"]?.ToString() == acme.ToString()).ShouldBe(1);
        first.Refusal.ShouldBeNull();
        second.CheckoutUrl.ShouldNotBe(first.CheckoutUrl);
        ItemsOf(first.CheckoutUrl!).ShouldBe([new StripeFakeItem(BillingAppFactory.StorePrice, 2), new StripeFakeItem(BillingAppFactory.SignUpPrice, null)]);
        var session = app.Stripe.State.Get(second.CheckoutUrl!.Segments[^1])!;
        session["customer"]!.ToString().ShouldBe(tenant.StripeCustomerId);
        session["success_url"]!.ToString().ShouldBe("http://acme.localhost/admin/billing/return?session_id={CHECKOUT_SESSION_ID}");
    }

    [Fact]
    public async Task A_store_without_active_stores_still_subscribes_one_and_one_with_its_own_price_checks_out_with_it()
    {
        (await Facts.RecordAsync(acme, new TenantFact.SetCustomPrice("price_acme_legacy", DateTimeOffset.UtcNow), default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);

        var outcome = await app.SendAsync("acme", new StartCheckoutCommand(null), await OwnerAsync());

        ItemsOf(outcome.CheckoutUrl!).ShouldBe([new StripeFakeItem("price_acme_legacy", 1), new StripeFakeItem(BillingAppFactory.SignUpPrice, null)]);
    }

    [Fact]
    public async Task An_unknown_plan_a_running_subscription_and_an_erased_store_are_refused_without_asking_Stripe()
    {
        var owner = await OwnerAsync();
        var asked = app.Stripe.Requests.Count;
        (await app.SendAsync("acme", new StartCheckoutCommand("gold"), owner)).Refusal.ShouldBe(CheckoutRefusal.UnknownPlan);
        app.Stripe.Requests.Count.ShouldBe(asked);

        var now = DateTimeOffset.UtcNow;
        await Facts.RecordAsync(acme, new TenantFact.SubscriptionActive("sub_running", BillingAppFactory.Plan, now.AddDays(-40)), default);
        (await app.SendAsync("acme", new StartCheckoutCommand(null), owner)).Refusal.ShouldBe(CheckoutRefusal.AlreadySubscribed);

        await Facts.RecordAsync(acme, new TenantFact.SubscriptionDeleted("sub_running", now.AddDays(-31)), default);
        (await app.SendAsync("acme", new StartCheckoutCommand(null), owner)).Refusal.ShouldBe(CheckoutRefusal.Erased);
        app.Stripe.Requests.Count.ShouldBe(asked);
    }

    [Fact]
    public async Task A_store_canceled_recently_may_subscribe_again()
    {
        var now = DateTimeOffset.UtcNow;
        await Facts.RecordAsync(acme, new TenantFact.SubscriptionActive("sub_old", BillingAppFactory.Plan, now.AddDays(-3)), default);
        await Facts.RecordAsync(acme, new TenantFact.SubscriptionDeleted("sub_old", now.AddDays(-1)), default);

        var outcome = await app.SendAsync("acme", new StartCheckoutCommand(null), await OwnerAsync());

        outcome.CheckoutUrl.ShouldNotBeNull();
        (await app.SendAsync("acme", new GetBillingQuery())).State.ShouldBe(BillingState.Canceled);
    }

    [Theory]
    [InlineData(TeamRole.Manager)]
    [InlineData(TeamRole.Staff)]
    public async Task Only_an_owner_may_subscribe_or_manage(TeamRole role)
    {
        var member = Actor.Member(acme, Guid.NewGuid(), role);

        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new StartCheckoutCommand(null), member));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new OpenBillingPortalCommand(), member));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new GetBillingQuery(), member));
    }

    [Fact]
    public async Task The_portal_needs_the_customer_and_returns_to_the_billing_page()
    {
        var owner = await OwnerAsync();
        (await app.SendAsync("acme", new OpenBillingPortalCommand(), owner)).ShouldBeNull();
        await app.SendAsync("acme", new StartCheckoutCommand(null), owner);

        var portal = await app.SendAsync("acme", new OpenBillingPortalCommand(), owner);

        var session = app.Stripe.State.Get(portal!.Segments[^1])!;
        session["customer"]!.ToString().ShouldBe((await app.TenantAsync("acme")).StripeCustomerId);
        session["return_url"]!.ToString().ShouldBe("http://acme.localhost/admin/billing");
    }

    [Fact]
    public async Task The_billing_view_says_where_the_store_stands()
    {
        var trial = await app.SendAsync("acme", new GetBillingQuery());
        trial.Status.ShouldBe(TenantStatus.Trialing);
        trial.CanSubscribe.ShouldBeTrue();
        trial.CanManage.ShouldBeFalse();
        trial.Plans.ShouldHaveSingleItem().Id.ShouldBe(BillingAppFactory.Plan);

        var now = DateTimeOffset.UtcNow;
        await Facts.RecordAsync(acme, new TenantFact.LinkStripeCustomer("cus_acme", now), default);
        await Facts.RecordAsync(acme, new TenantFact.SubscriptionActive("sub_acme", BillingAppFactory.Plan, now), default);
        await Facts.RecordAsync(acme, new TenantFact.PaymentFailed("sub_acme", now.AddDays(7), now.AddSeconds(1)), default);
        var pastDue = await app.SendAsync("acme", new GetBillingQuery());

        pastDue.Status.ShouldBe(TenantStatus.PastDue);
        pastDue.State.ShouldBe(BillingState.Subscribed);
        pastDue.Plan!.Id.ShouldBe(BillingAppFactory.Plan);
        pastDue.GraceEndsAt.ShouldBe(now.AddDays(7));
        pastDue.KioskOpen.ShouldBeTrue();
        pastDue.CanSubscribe.ShouldBeFalse();
        pastDue.CanManage.ShouldBeTrue();
    }
}
