using System.Net;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>The Owner's billing pages through HTTP, with the real Stripe.net client talking to the fake.</summary>
public class BillingPageTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private const string Owner = "owner@acme.test";
    private HttpClient owner = null!;
    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes", TenantStatus.Trialing);
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
        await app.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> PageAsync(string path = "/admin/billing") =>
        WebUtility.HtmlDecode(await AppFactory.ReadAsync(await owner.GetAsync(path), HttpStatusCode.OK));

    private async Task<HttpResponseMessage> PostAsync(string handler, Dictionary<string, string>? fields = null)
    {
        var html = await AppFactory.ReadAsync(await owner.GetAsync("/admin/billing"), HttpStatusCode.OK);
        var values = new Dictionary<string, string>(fields ?? []) { ["__RequestVerificationToken"] = Forms.AntiforgeryToken(html) };
        return await owner.PostAsync($"/admin/billing?handler={handler}", new FormUrlEncodedContent(values));
    }

    [Fact]
    public async Task The_owner_sees_the_trial_and_the_plan_and_subscribing_sends_them_to_Stripe_Checkout()
    {
        var page = await PageAsync();
        page.ShouldContain("<a href=\"/admin/billing\" aria-current=\"page\">Billing</a>");
        page.ShouldContain("Your free trial runs until");
        page.ShouldContain("€29 per store per month");
        page.ShouldContain("1,000 kiosk sign-ups a month included");
        page.ShouldContain("then €0.02 per extra sign-up");
        page.ShouldContain("Prices exclude VAT.");
        // The usage card: no kiosk sign-up yet, and a trial has no invoice to preview.
        page.ShouldContain("This month: 0 of 1,000 included kiosk sign-ups");
        page.ShouldContain("Next invoice: not available right now.");
        page.ShouldNotContain("Manage billing");

        var subscribe = await PostAsync("Subscribe", new() { ["planId"] = BillingAppFactory.Plan });

        subscribe.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        subscribe.Headers.Location!.ToString().ShouldStartWith($"{app.Stripe.BaseUrl}/checkout/cs_test_");
        (await PageAsync()).ShouldContain("Manage billing");
        var portal = await PostAsync("Portal");
        portal.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        portal.Headers.Location!.ToString().ShouldStartWith($"{app.Stripe.BaseUrl}/portal/bps_");
    }

    [Fact]
    public async Task Managers_and_staff_cannot_open_billing_nor_see_it_in_the_nav()
    {
        foreach (var email in new[] { "manager@acme.test", "staff@acme.test" })
        {
            var member = app.ClientFor("acme.localhost");
            await Members.SignedInAsync(member, email);
            (await member.GetAsync("/admin/billing")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await member.GetAsync("/admin/billing/return")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await AppFactory.ReadAsync(await member.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("href=\"/admin/billing\"");
        }

        (await app.ClientFor("acme.localhost").GetAsync("/admin/billing")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Stripe_being_down_is_a_sentence_on_the_page_and_nothing_changes()
    {
        app.Stripe.FailNext(StripeFault.ServerError, times: 3);

        var subscribe = await PostAsync("Subscribe", new() { ["planId"] = BillingAppFactory.Plan });

        subscribe.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        subscribe.Headers.Location!.ToString().ShouldBe("/admin/billing");
        var page = await PageAsync();
        page.ShouldContain("Our payment provider, Stripe, can't be reached right now. Nothing was charged.");
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.Trialing);
    }

    [Fact]
    public async Task An_unknown_plan_is_refused_with_a_message()
    {
        var subscribe = await PostAsync("Subscribe", new() { ["planId"] = "gold" });

        subscribe.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync()).ShouldContain("That plan is not on sale.");
    }

    [Fact]
    public async Task The_return_page_confirms_only_once_the_subscription_is_recorded_and_not_because_of_the_redirect()
    {
        var waiting = await PageAsync("/admin/billing/return?session_id=cs_test_made_up");
        waiting.ShouldContain("Confirming your payment…");
        waiting.ShouldContain("data-status-url=\"/admin/billing/return?handler=Status\"");
        waiting.ShouldContain("<script src=\"/js/billing-return");
        (await PageAsync("/admin/billing/return?handler=Status")).ShouldBe("{\"active\":false}");

        var facts = app.Services.GetRequiredService<TenantFacts>();
        await facts.RecordAsync(acme, new TenantFact.SubscriptionActive("sub_acme", BillingAppFactory.Plan, DateTimeOffset.UtcNow), default);

        (await PageAsync("/admin/billing/return?handler=Status")).ShouldBe("{\"active\":true}");
        (await PageAsync("/admin/billing/return?session_id=cs_test_made_up")).ShouldContain("<h1>Your subscription is active</h1>");
        var billing = await PageAsync();
        billing.ShouldContain("Your subscription is active on the Store plan.");
        billing.ShouldNotContain("per store per month");
    }

    [Fact]
    public async Task The_page_speaks_Dutch()
    {
        var page = await PageAsync("/admin/billing?lang=nl");

        page.ShouldContain("<h1>Facturering</h1>");
        page.ShouldContain("Winkel");
        page.ShouldContain("€29 per winkel per maand");
        page.ShouldContain("1.000 kioskaanmeldingen per maand inbegrepen");
        (await PageAsync("/admin/billing/return?lang=nl")).ShouldContain("Je betaling wordt bevestigd…");
    }
}
