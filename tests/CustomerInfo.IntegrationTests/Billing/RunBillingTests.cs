using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.Run;
using CustomerInfo.Application.Billing.Usage;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>Two tenants a page, so a handful of tenants takes several pages.</summary>
public sealed class SmallPagesBillingApp : ClockedBillingAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Billing:RunPageSize", "2")];
}

public class RunBillingTests(SmallPagesBillingApp app) : IClassFixture<SmallPagesBillingApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private DateTimeOffset Now => app.Clock.UtcNow;

    private DateOnly Today => UsageDays.DayOf(Now);

    [Fact]
    public async Task Each_complete_day_of_kiosk_sign_ups_is_reported_once_however_often_the_run_is_repeated()
    {
        var tenant = await app.AddSubscribedTenantAsync("daily", Now.AddDays(-30));
        await SignUpsAsync(tenant, Today.AddDays(-2), 2);
        await SignUpsAsync(tenant, Today.AddDays(-1), 3);
        await app.AddSignUpAsync(tenant.TenantId, UsageDays.StartOf(Today.AddDays(-1)).AddHours(9), SignUpSource.Import);
        await SignUpsAsync(tenant, Today, 4);

        await RunAsync();
        await RunAsync();

        Metered(tenant, Today.AddDays(-2)).ShouldBe(2);
        Metered(tenant, Today.AddDays(-1)).ShouldBe(3);
        Metered(tenant, Today).ShouldBe(0);
        MeterRequests(tenant).ShouldBe(2);
        (await LedgerAsync(tenant)).Select(d => (d.Day, d.KioskSignUps)).ShouldBe([(Today.AddDays(-2), 2L), (Today.AddDays(-1), 3L)]);

        var today = Today;
        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();

        Metered(tenant, today).ShouldBe(4);
        MeterRequests(tenant).ShouldBe(3);
        (await StatusAsync(tenant)).ReportedThrough.ShouldBe(today);
    }

    [Fact]
    public async Task A_second_run_in_a_row_makes_no_Stripe_write()
    {
        var tenant = await app.AddSubscribedTenantAsync("twice", Now.AddDays(-30));
        await app.AddRetailStoreAsync("twice", "North");
        await app.AddRetailStoreAsync("twice", "South");
        await SignUpsAsync(tenant, Today.AddDays(-1), 1);
        await RunAsync();
        var writes = Writes();

        await RunAsync();

        writes.ShouldBeGreaterThan(0);
        Writes().ShouldBe(writes);
    }

    [Fact]
    public async Task The_subscription_quantity_follows_the_active_stores()
    {
        var tenant = await app.AddSubscribedTenantAsync("stores", Now.AddDays(-30));
        await app.AddRetailStoreAsync("stores", "North");
        await app.AddRetailStoreAsync("stores", "South");
        await app.CloseRetailStoreAsync("stores", await app.AddRetailStoreAsync("stores", "Closed"));

        await RunAsync();

        var request = app.Stripe.Requests.Single(r => r.Method == "POST" && r.PathAndQuery == $"/v1/subscription_items/{tenant.StoreItemId}");
        request.Param("quantity").ShouldBe("2");
        request.Header("Idempotency-Key").ShouldBe($"{tenant.TenantId:N}-stores-2-{Today:yyyyMMdd}");
        StoreQuantity(tenant).ShouldBe(2);
        (await StatusAsync(tenant)).StoreQuantity.ShouldBe(2);
    }

    [Fact]
    public async Task A_missed_payment_failure_is_caught_and_the_grace_period_ends_on_time()
    {
        var tenant = await app.AddSubscribedTenantAsync("missed", Now.AddDays(-30));
        // The webhook never hears of it: Stripe's delivery is lost.
        var webhook = app.Stripe.Options.WebhookUrl;
        app.Stripe.Options.WebhookUrl = null;
        try
        {
            await app.Stripe.SetSubscriptionStatusAsync(tenant.SubscriptionId, "past_due");
        }
        finally
        {
            app.Stripe.Options.WebhookUrl = webhook;
        }

        await RunAsync();

        var pastDue = await TenantAsync(tenant);
        pastDue.Status.ShouldBe(TenantStatus.PastDue);
        pastDue.GraceEndsAt.ShouldBe(Now.AddDays(7));

        app.Clock.Advance(TimeSpan.FromDays(6));
        await RunAsync();
        (await TenantAsync(tenant)).Status.ShouldBe(TenantStatus.PastDue);

        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();
        var unpaid = await TenantAsync(tenant);
        unpaid.Status.ShouldBe(TenantStatus.Unpaid);
        unpaid.IsKioskOpenAt(Now).ShouldBeFalse();
    }

    [Fact]
    public async Task A_missed_payment_is_caught_too()
    {
        var tenant = await app.AddSubscribedTenantAsync("paid", Now.AddDays(-30));
        await app.Services.GetRequiredService<Application.Tenants.TenantFacts>()
            .RecordAsync(tenant.TenantId, new TenantFact.PaymentFailed(tenant.SubscriptionId, Now.AddDays(-1), Now.AddDays(-8)), default);

        await RunAsync();

        (await TenantAsync(tenant)).Status.ShouldBe(TenantStatus.Active);
    }

    [Fact]
    public async Task One_tenant_failing_at_Stripe_does_not_stop_the_others_and_its_error_is_recorded()
    {
        var first = await app.AddSubscribedTenantAsync("first", Now.AddDays(-30));
        var second = await app.AddSubscribedTenantAsync("second", Now.AddDays(-30));
        await SignUpsAsync(first, Today.AddDays(-1), 1);
        await SignUpsAsync(second, Today.AddDays(-1), 1);
        // Stripe.net gives up on a 429 at once (it retries a 500 on its own).
        app.Stripe.FailNext(StripeFault.TooManyRequests);

        await RunAsync();

        var statuses = new[] { await StatusAsync(first), await StatusAsync(second) };
        var failed = statuses.Single(s => s.LastError is not null);
        failed.LastError.ShouldNotBeNull().ShouldContain("429");
        failed.LastErrorAt.ShouldBe(Now);
        failed.LastSucceededAt.ShouldBeNull();
        statuses.Single(s => s.LastError is null).LastSucceededAt.ShouldBe(Now);

        await RunAsync();

        foreach (var tenant in new[] { first, second })
        {
            var status = await StatusAsync(tenant);
            (status.LastError, status.LastSucceededAt).ShouldBe((null, Now));
            Metered(tenant, Today.AddDays(-1)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task A_day_whose_report_reached_Stripe_but_whose_answer_was_lost_is_not_counted_twice()
    {
        var tenant = await app.AddSubscribedTenantAsync("lost", Now.AddDays(-30));
        await SignUpsAsync(tenant, Today.AddDays(-1), 6);
        // The first attempt: Stripe took the event, then the run died before its ledger entry was written.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IStripeBilling>()
                .ReportUsageAsync(tenant.CustomerId, Today.AddDays(-1), 6, UsageDays.Identifier(tenant.TenantId, Today.AddDays(-1)), default);
        }

        await RunAsync();

        Metered(tenant, Today.AddDays(-1)).ShouldBe(6);
        (await LedgerAsync(tenant)).Single().Day.ShouldBe(Today.AddDays(-1));
    }

    [Fact]
    public async Task Every_tenant_with_a_customer_is_passed_over_page_by_page_and_trials_are_skipped()
    {
        var tenants = new List<SubscribedTenant>();
        for (var i = 0; i < 5; i++)
        {
            tenants.Add(await app.AddSubscribedTenantAsync($"paged{i}", Now.AddDays(-30)));
        }

        var trial = await app.AddStoreAsync("trial", "Trial store", TenantStatus.Trialing);

        await RunAsync();

        foreach (var tenant in tenants)
        {
            (await StatusAsync(tenant)).LastSucceededAt.ShouldBe(Now);
        }

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.LoadAsync<TenantBillingStatus>(trial)).ShouldBeNull();
    }

    private async Task RunAsync()
    {
        await using var scope = WorkScope.Enter(app.Services.GetRequiredService<IServiceScopeFactory>(), MediatorJob.Principal);
        await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RunBillingCommand());
    }

    private async Task SignUpsAsync(SubscribedTenant tenant, DateOnly day, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await app.AddSignUpAsync(tenant.TenantId, UsageDays.StartOf(day).AddHours(10).AddMinutes(i));
        }
    }

    private long Metered(SubscribedTenant tenant, DateOnly day) => app.Stripe.MeteredValue(tenant.CustomerId, day);

    private int MeterRequests(SubscribedTenant tenant) =>
        app.Stripe.Requests.Count(r => r.PathAndQuery == "/v1/billing/meter_events" && r.Param("payload.stripe_customer_id") == tenant.CustomerId);

    private int Writes() => app.Stripe.Requests.Count(r => r.Method == "POST");

    private long StoreQuantity(SubscribedTenant tenant) =>
        app.Stripe.SubscriptionsOf(tenant.CustomerId)[0]["items"]!["data"]![0]!["quantity"]!.GetValue<long>();

    private async Task<TenantBillingStatus> StatusAsync(SubscribedTenant tenant)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<TenantBillingStatus>(tenant.TenantId)).ShouldNotBeNull();
    }

    private async Task<Tenant> TenantAsync(SubscribedTenant tenant)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Tenant>(tenant.TenantId)).ShouldNotBeNull();
    }

    private async Task<IReadOnlyList<UsageDay>> LedgerAsync(SubscribedTenant tenant)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.TenantId.ToString());
        return [.. (await session.Query<UsageDay>().ToListAsync()).OrderBy(d => d.Day)];
    }
}
