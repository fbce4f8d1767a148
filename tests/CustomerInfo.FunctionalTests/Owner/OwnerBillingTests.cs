using System.Net;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.CloseStore;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Owner;

/// <summary>The owner console's billing columns and totals, and the platform owner's own price for one tenant.</summary>
public class OwnerBillingTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> OwnerAsync()
    {
        var client = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(client);
        return client;
    }

    private Task<TenantChange> RecordAsync(Guid tenantId, TenantFact fact) =>
        app.Services.GetRequiredService<TenantFacts>().RecordAsync(tenantId, fact, default);

    /// <summary>A paying tenant: subscribed to the plan, with <paramref name="active"/> open stores and one closed.</summary>
    private async Task<Guid> PayingAsync(string identifier, int active)
    {
        var id = await app.AddStoreAsync(identifier, identifier + " shop", TenantStatus.Trialing);
        (await RecordAsync(id, new TenantFact.SubscriptionActive("sub_" + identifier, BillingAppFactory.Plan, DateTimeOffset.UtcNow))).Outcome.ShouldBe(TenantChangeOutcome.Changed);
        for (var i = 0; i < active; i++)
        {
            await app.SendAsync(identifier, new AddStoreCommand($"Branch {i}", "Europe/Amsterdam"));
        }

        var closed = await app.SendAsync(identifier, new AddStoreCommand("Closed branch", "Europe/Amsterdam"));
        await app.SendAsync(identifier, new CloseStoreCommand(closed));
        return id;
    }

    private async Task SignUpsAsync(string identifier, int count)
    {
        await app.SendAsync(identifier, new PublishFormDefinitionCommand(FormDefinition.StarterFor(identifier) with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional)],
        }));
        for (var i = 0; i < count; i++)
        {
            await app.SendAsync(identifier, new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = "Shopper", Email = $"shopper{i}@example.com" });
        }
    }

    /// <summary>The console's text as a browser shows it (Razor encodes the euro sign).</summary>
    private static async Task<string> ConsoleAsync(HttpClient client) =>
        WebUtility.HtmlDecode(await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK));

    private static async Task<HttpResponseMessage> PriceAsync(HttpClient client, Guid tenantId, string priceId, string amount)
    {
        var page = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        return await client.PostAsync("/owner?handler=price", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(page),
            ["Price.TenantId"] = tenantId.ToString(),
            ["Price.StorePriceId"] = priceId,
            ["Price.PricePerStore"] = amount,
        }));
    }

    [Fact]
    public async Task The_owner_sees_each_tenant_s_plan_stores_sign_ups_mrr_and_last_run_and_the_totals()
    {
        var acme = await PayingAsync("acme", active: 2);
        await SignUpsAsync("acme", 3);
        var late = await PayingAsync("late", active: 1);
        await RecordAsync(late, new TenantFact.PaymentFailed("sub_late", new DateTimeOffset(2099, 3, 8, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddSeconds(1)));
        await app.AddStoreAsync("fresh", "Fresh trial", TenantStatus.Trialing);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new TenantBillingStatus(acme) { LastRunAt = new DateTimeOffset(2026, 11, 30, 2, 30, 0, TimeSpan.Zero), LastSucceededAt = new DateTimeOffset(2026, 11, 30, 2, 30, 0, TimeSpan.Zero) });
            session.Store(new TenantBillingStatus(late) { LastRunAt = new DateTimeOffset(2026, 11, 30, 2, 31, 0, TimeSpan.Zero), LastError = "Your card was declined.", LastErrorAt = new DateTimeOffset(2026, 11, 30, 2, 31, 0, TimeSpan.Zero) });
            await session.SaveChangesAsync();
        }

        var console = await ConsoleAsync(await OwnerAsync());

        // acme: 2 active stores × €29; late: 1 × €29 while past due; the trial pays nothing yet.
        console.ShouldContain("<dt>Monthly recurring revenue</dt><dd>€87.00");
        console.ShouldContain("<dt>In trial</dt><dd>1</dd>");
        console.ShouldContain("<dt>Past due</dt><dd>1 <span class=\"muted small\">and 0 unpaid</span>");
        console.ShouldContain("MRR €58.00");
        console.ShouldContain("MRR €29.00");
        console.ShouldContain("2 active stores");
        console.ShouldContain("3 kiosk sign-ups");
        console.ShouldContain("Grace until 2099-03-08");
        console.ShouldContain("2026-11-30 02:30 UTC");
        console.ShouldContain("Failed 2026-11-30 02:31 UTC: Your card was declined.");
        console.ShouldContain("Not run yet");
        console.ShouldContain(" Store · <span class=\"small\">MRR €58.00</span>", customMessage: "the plan's name, then its MRR");
    }

    [Fact]
    public async Task The_owner_gives_a_tenant_its_own_price_which_the_mrr_counts_and_then_clears_it()
    {
        var acme = await PayingAsync("acme", active: 2);
        var client = await OwnerAsync();

        var set = await PriceAsync(client, acme, " price_1PqR2sT3uV4w ", "24,50");

        set.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tenant = await app.TenantAsync("acme");
        tenant.CustomStorePriceId.ShouldBe("price_1PqR2sT3uV4w");
        tenant.CustomPricePerStore.ShouldBe(24.50m);
        var console = await ConsoleAsync(client);
        console.ShouldContain("acme shop pays its own price from now on: price_1PqR2sT3uV4w, €24.50 per store per month.");
        console.ShouldContain("Own price: €24.50 per store");
        console.ShouldContain("<dt>Monthly recurring revenue</dt><dd>€49.00");

        (await PriceAsync(client, acme, "", "")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        tenant = await app.TenantAsync("acme");
        tenant.CustomStorePriceId.ShouldBeNull();
        tenant.CustomPricePerStore.ShouldBeNull();
        console = await ConsoleAsync(client);
        console.ShouldContain("acme shop pays its plan's price again.");
        console.ShouldContain("<dt>Monthly recurring revenue</dt><dd>€58.00");
    }

    [Theory]
    [InlineData("prod_123", "24.50", "Enter the Stripe price id as Stripe shows it")]
    [InlineData("price_abc def", "24.50", "Enter the Stripe price id as Stripe shows it")]
    [InlineData("price_abc", "", "Enter the amount per store per month")]
    [InlineData("price_abc", "-3", "Enter the amount per store per month")]
    [InlineData("price_abc", "24.505", "Enter the amount per store per month")]
    [InlineData("", "24.50", "Enter the Stripe price id as Stripe shows it")]
    public async Task A_bad_price_is_refused_beside_the_tenant_with_what_was_typed_and_nothing_changes(string priceId, string amount, string message)
    {
        var acme = await PayingAsync("acme", active: 1);

        var response = await PriceAsync(await OwnerAsync(), acme, priceId, amount);

        var page = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        page.ShouldContain(message);
        page.ShouldContain("aria-invalid=\"true\"");
        page.ShouldContain($"value=\"{System.Net.WebUtility.HtmlEncode(priceId)}\"");
        (await app.TenantAsync("acme")).CustomStorePriceId.ShouldBeNull();
    }

    [Fact]
    public async Task Nobody_but_the_platform_owner_sees_the_console_or_sets_a_price()
    {
        var acme = await PayingAsync("acme", active: 1);
        await app.AddMemberAsync("acme", "owner@acme.test", TeamRole.Owner);
        var member = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(member, "owner@acme.test");

        var anonymous = app.ClientFor("localhost");
        (await anonymous.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var post = await anonymous.PostAsync("/owner?handler=price", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Price.TenantId"] = acme.ToString(),
            ["Price.StorePriceId"] = "price_abc",
            ["Price.PricePerStore"] = "1",
        }));
        ((int)post.StatusCode).ShouldBeInRange(300, 499);
        (await member.GetAsync("/owner")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await app.TenantAsync("acme")).CustomStorePriceId.ShouldBeNull();
    }
}
