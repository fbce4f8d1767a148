using System.Diagnostics;
using System.Globalization;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.Run;
using CustomerInfo.Application.Billing.Usage;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.TestSupport.Billing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CustomerInfo.IntegrationTests.Billing;

/// <summary>Its own database and fake, so the benchmark has them to itself.</summary>
public sealed class BenchmarkBillingApp : ClockedBillingAppFactory;

/// <summary>
/// The billing run over many subscribed tenants (BILLING_BENCH_TENANTS, default 50; bench/billing-run.sh
/// runs 10,000), each with two stores and two kiosk sign-ups yesterday: every tenant ends with its
/// quantity set and its day reported once, and the second run makes no Stripe write. It prints the
/// times and the process's peak RSS; no timing is asserted (the machine is shared).
/// </summary>
public class BillingRunBenchmarkTests(BenchmarkBillingApp app, ITestOutputHelper output) : IClassFixture<BenchmarkBillingApp>
{
    private static readonly string[] StoreNames = ["North", "South"];

    [Fact]
    public async Task A_run_over_many_tenants_bills_each_once_and_a_second_run_writes_nothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("BILLING_BENCH_TENANTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 50;
        var yesterday = UsageDays.DayOf(app.Clock.UtcNow).AddDays(-1);
        // Events the fake sends while seeding are kept, not delivered: the webhook is not under test.
        app.Stripe.Options.WebhookUrl = null;
        var seeding = Stopwatch.StartNew();
        var customers = await SeedAsync(count, UsageDays.StartOf(yesterday).AddHours(11));
        Print($"billing-run: seeded {count} tenants in {seeding.Elapsed.TotalSeconds:F1} s; peak RSS so far {PeakRssMb()} MB");

        var first = await TimedRunAsync();
        var writes = app.Stripe.Requests.Count(r => r.Method == "POST");
        Print($"billing-run: first run {first.TotalSeconds:F1} s ({count / first.TotalSeconds:F0} tenants/s), {app.Stripe.Requests.Count} Stripe requests, {writes} writes; peak RSS {PeakRssMb()} MB");
        var second = await TimedRunAsync();
        Print($"billing-run: second run {second.TotalSeconds:F1} s, {app.Stripe.Requests.Count(r => r.Method == "POST") - writes} writes; peak RSS {PeakRssMb()} MB");

        app.Stripe.Requests.Count(r => r.Method == "POST").ShouldBe(writes);
        app.Stripe.MeterEvents.Count.ShouldBe(count);
        customers.ShouldAllBe(c => app.Stripe.MeteredValue(c, yesterday) == 2);
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<TenantBillingStatus>().CountAsync(s => s.LastError == null && s.StoreQuantity == 2)).ShouldBe(count);
    }

    /// <summary>Each tenant in one transaction (its lifecycle's events and document, stores, sign-ups), four at a time.</summary>
    private async Task<IReadOnlyList<string>> SeedAsync(int count, DateTimeOffset signedUpAt)
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var startedAt = app.Clock.UtcNow.AddDays(-30);
        var customers = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var tenantId = Guid.NewGuid();
            var customerId = app.Stripe.NewCustomer(tenantId);
            var subscription = await app.Stripe.CreateSubscriptionAsync(customerId, [new(BillingAppFactory.StorePrice, 1), new(BillingAppFactory.SignUpPrice, null)], cancellationToken);
            var subscriptionId = subscription["id"]!.ToString();
            lock (app.Stripe.State.Gate)
            {
                app.Stripe.State.Live(subscriptionId)!["created"] = startedAt.ToUnixTimeSeconds();
            }

            object[] lifecycle =
            [
                new TenantOnboarded(tenantId, $"bench{i}", $"Bench {i}", startedAt, NoTrial: true),
                new TenantEmailConfirmed(tenantId, startedAt),
                new TenantStripeCustomerLinked(tenantId, customerId, startedAt),
                new TenantSubscribed(tenantId, subscriptionId, BillingAppFactory.Plan, startedAt),
            ];
            await using var session = store.LightweightSession(tenantId.ToString());
            session.Events.StartStream(tenantId, lifecycle);
            session.Store(TenantLifecycle.Replay(lifecycle)!);
            foreach (var name in StoreNames)
            {
                var storeId = Guid.NewGuid();
                session.Events.StartStream(storeId, new StoreAdded(storeId, name, StoreTimeZones.Default, null, startedAt));
            }

            for (var s = 0; s < 2; s++)
            {
                var signUpId = Guid.NewGuid();
                session.Events.StartStream(signUpId, new SignUpSubmitted(
                    signUpId, 1, "en", null, signedUpAt, signedUpAt, new Shopper("Bench", null, null, null, null, null), [], null, null));
            }

            await session.SaveChangesAsync(cancellationToken);
            customers[i] = customerId;
        });
        return customers;
    }

    private async Task<TimeSpan> TimedRunAsync()
    {
        var watch = Stopwatch.StartNew();
        await using var scope = WorkScope.Enter(app.Services.GetRequiredService<IServiceScopeFactory>(), MediatorJob.Principal);
        await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RunBillingCommand());
        return watch.Elapsed;
    }

    /// <summary>The process's peak resident set (VmHWM): app, fake and test runner together.</summary>
    private static long PeakRssMb() =>
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? long.Parse(kb, CultureInfo.InvariantCulture) / 1024 : 0;

    private void Print(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
