using System.Diagnostics;
using System.Globalization;
using System.Net;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>Its own database, so the latency run has the worker to itself.</summary>
public sealed class LatencyApp : PipelineApp;

/// <summary>
/// Sign-ups at a steady rate through the kiosk, each pushed to a loopback webhook receiver: every
/// one arrives, once. It prints the time from the kiosk's answer to the push's arrival (p50, p95,
/// p99) and pushes per second against sign-ups per second; bench/crm-push.sh runs it bigger
/// (CRM_BENCH_SIGNUPS, CRM_BENCH_RATE) and records the figures in docs/benchmarks.md. No timing is
/// asserted here: machines are shared and noisy, and speed goals are met in the benchmark.
/// </summary>
public class CrmPushLatencyTests(LatencyApp app) : IClassFixture<LatencyApp>
{
    private const string Secret = "whsec_bGF0ZW5jeSBydW4gc2VjcmV0IDEyMzQ1Njc4OTAxMjM0";

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    [Fact]
    public async Task Sign_ups_at_a_steady_rate_all_reach_the_receiver_once()
    {
        var total = Setting("CRM_BENCH_SIGNUPS", 40);
        var rate = Setting("CRM_BENCH_RATE", 20);
        await app.AddStoreAsync("pace", "Pace Store");
        await app.SendAsync("pace", new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync("pace", receiver.Url, Secret);
        var kiosk = new Kiosk(app.ClientFor("pace.localhost"));
        await kiosk.OpenAsync();

        var answered = new Dictionary<string, DateTimeOffset>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var email = $"pace{i}@example.com";
            var response = await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", email), ("Command.Phone", null), ("Command.SubmissionId", Guid.NewGuid().ToString())));
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            answered[email] = DateTimeOffset.UtcNow;
        }

        var sent = clock.Elapsed;
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Distinct.Count), n => n >= total, TimeSpan.FromSeconds(60 + (total / 10)))).ShouldBeTrue();
        var drained = clock.Elapsed;

        var deliveries = receiver.Distinct;
        deliveries.Select(d => d.Data.GetProperty("email").GetString()!).ShouldBe(answered.Keys, ignoreOrder: true);
        receiver.Deliveries.Count.ShouldBe(total); // none twice
        var latencies = deliveries.Select(d => (d.ReceivedAt - answered[d.Data.GetProperty("email").GetString()!]).TotalMilliseconds).Order().ToArray();
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crm-push: {total} sign-ups at {rate}/s; submit->receiver p50 {Percentile(0.50):0} ms, p95 {Percentile(0.95):0} ms, p99 {Percentile(0.99):0} ms; sign-ups {total / sent.TotalSeconds:0.0}/s, pushes {total / drained.TotalSeconds:0.0}/s over the whole run, last push {(drained - sent).TotalSeconds:0.0} s after the last sign-up"));
    }
}
