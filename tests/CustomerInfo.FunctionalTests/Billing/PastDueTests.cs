using System.Net;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using CustomerInfo.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>Past due and unpaid as the retailer and the shoppers see them: a banner in the admin, "unavailable" at the kiosk.</summary>
public class PastDueTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    private const string Subscription = "sub_past_due";
    private static readonly DateTimeOffset Subscribed = DateTimeOffset.UtcNow.AddDays(-40);
    private static readonly DateTimeOffset Failed = DateTimeOffset.UtcNow.AddDays(-2);
    private static readonly DateTimeOffset GraceEnds = Failed.AddDays(7);

    private Guid acme;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme");
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition));
        await app.AddStoreAsync("closed", "Closed Shop", TenantStatus.Suspended);
        await RecordAsync(new TenantFact.SubscriptionActive(Subscription, BillingAppFactory.Plan, Subscribed));
        await app.AddMemberAsync("acme", "owner@acme.test", TeamRole.Owner);
        await app.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_active_store_s_admin_shows_no_billing_banner() =>
        (await AdminPageAsync("owner@acme.test", "/admin")).ShouldNotContain("payment failed");

    [Theory]
    [InlineData("owner@acme.test", "/admin")]
    [InlineData("manager@acme.test", "/admin/signups")]
    public async Task While_past_due_every_admin_page_says_until_when_the_kiosk_works_and_links_to_billing(string member, string path)
    {
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, GraceEnds, Failed));

        var html = await AdminPageAsync(member, path);

        html.ShouldContain($"Your last payment failed. Your kiosk keeps working until {GraceEnds.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))}.");
        html.ShouldContain("role=\"status\"");
        html.ShouldContain("href=\"/admin/billing\">Fix payment</a>");
    }

    [Fact]
    public async Task The_past_due_banner_speaks_dutch()
    {
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, GraceEnds, Failed));

        var html = await AdminPageAsync("owner@acme.test", "/admin?lang=nl");

        html.ShouldContain("Je laatste betaling is mislukt. Je kiosk blijft werken tot");
        html.ShouldContain("Betaling herstellen");
    }

    [Fact]
    public async Task Staff_are_not_shown_the_billing_banner()
    {
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, GraceEnds, Failed));

        (await AdminPageAsync("staff@acme.test", "/admin/signups")).ShouldNotContain("payment failed");
    }

    [Fact]
    public async Task While_unpaid_the_admin_alerts_that_the_kiosk_is_closed_and_the_kiosk_is_unavailable()
    {
        await MakeUnpaidAsync();

        var html = await AdminPageAsync("owner@acme.test", "/admin");
        html.ShouldContain("role=\"alert\"");
        html.ShouldContain("Your kiosk is closed because payment failed.");
        html.ShouldContain("href=\"/admin/billing\">Fix payment</a>");

        var kiosk = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/"), HttpStatusCode.Forbidden);
        kiosk.ShouldContain("Sign-up is unavailable here");
        kiosk.ShouldNotContain("payment", Case.Insensitive);
        kiosk.ShouldNotContain("billing", Case.Insensitive);
    }

    [Fact]
    public async Task A_sign_up_sent_to_a_store_closed_for_payment_is_answered_as_a_suspended_store_s_so_the_tablet_keeps_it_queued()
    {
        var tablet = new Kiosk(app.ClientFor("acme.localhost"));
        await tablet.OpenAsync();
        await MakeUnpaidAsync();

        var unpaid = await tablet.SubmitAsync(Kiosk.Fields());
        var suspended = await app.ClientFor("closed.localhost").PostAsync("/", Kiosk.Encoded(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString()))));

        // kiosk.js keeps a sign-up queued and asks again later on exactly this answer (403).
        unpaid.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        unpaid.StatusCode.ShouldBe(suspended.StatusCode);
        (await unpaid.Content.ReadAsStringAsync()).ShouldContain("Sign-up is unavailable here");
        (await app.SendAsync("acme", new ListSignUpsQuery())).Items.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_past_due_store_s_kiosk_keeps_taking_sign_ups()
    {
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, GraceEnds, Failed));
        var tablet = new Kiosk(app.ClientFor("acme.localhost"));
        await tablet.OpenAsync();

        (await tablet.SubmitAsync(Kiosk.Fields())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private async Task MakeUnpaidAsync()
    {
        // Failed long enough ago that the grace is over, as the billing run would find it.
        var failed = DateTimeOffset.UtcNow.AddDays(-10);
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, failed.AddDays(7), failed));
        await RecordAsync(new TenantFact.EndGrace(failed.AddDays(7)));
    }

    private async Task RecordAsync(TenantFact fact) =>
        (await app.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, fact, default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);

    private async Task<string> AdminPageAsync(string member, string path)
    {
        var client = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(client, member);
        return await AppFactory.ReadAsync(await client.GetAsync(path), HttpStatusCode.OK);
    }
}
