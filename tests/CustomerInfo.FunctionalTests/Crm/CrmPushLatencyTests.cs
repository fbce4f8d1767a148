using System.Diagnostics;
using System.Globalization;
using System.Net;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>
/// Its own database, so the latency run has the worker to itself. It logs at Warning and up, as
/// Production does: the other test hosts keep every line down to Debug (each SQL statement) in
/// memory to check them for personal data, which would be measured here too.
/// </summary>
public sealed class LatencyApp : PipelineApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Hangfire", "Warning")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddFilter<LoggedPersonalData>(null, LogLevel.Warning));
    }
}

/// <summary>
/// Sign-ups at a steady rate through the kiosk, each pushed to a loopback webhook receiver: every
/// one arrives, once. It prints the time from the kiosk's answer to the push's arrival (p50, p95,
/// p99) and pushes per second against sign-ups per second, with the whole app in one process
/// (CRM_BENCH_SIGNUPS, CRM_BENCH_RATE make it bigger). The benchmark's figures come from
/// bench/crm-push.sh instead, in the deployed shape (web and worker processes apart). No timing is
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
        await PrintStagesAsync(deliveries.ToDictionary(d => d.Data.GetProperty("signUpId").GetGuid(), d => (Answered: answered[d.Data.GetProperty("email").GetString()!], d.ReceivedAt)));
    }

    /// <summary>
    /// Where the time goes, from Hangfire's own tables: kiosk answer → push job enqueued (the daemon
    /// and the linking), enqueued → fetched by a worker (the queue), fetched → at the receiver (the job).
    /// </summary>
    private async Task PrintStagesAsync(Dictionary<Guid, (DateTimeOffset Answered, DateTimeOffset Received)> signUps)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select j.arguments, j.createdat, (select min(s.createdat) from hangfire.state s where s.jobid = j.id and s.name = 'Processing') from hangfire.job j where j.arguments::text like '%SignUpId%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var enqueued = new List<double>();
        var waited = new List<double>();
        var ran = new List<double>();
        var jobs = 0;
        while (await reader.ReadAsync())
        {
            jobs++;
            var created = Utc(reader.GetDateTime(1));
            DateTimeOffset? fetched = reader.IsDBNull(2) ? null : Utc(reader.GetDateTime(2));
            foreach (var (id, times) in signUps.Where(s => reader.GetString(0).Contains(s.Key.ToString(), StringComparison.OrdinalIgnoreCase)))
            {
                enqueued.Add((created - times.Answered).TotalMilliseconds);
                if (fetched is { } at)
                {
                    waited.Add((at - created).TotalMilliseconds);
                    ran.Add((times.Received - at).TotalMilliseconds);
                }
            }
        }

        static string Of(List<double> ms) => ms.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"p50 {P(ms, 0.5):0} ms, p95 {P(ms, 0.95):0} ms");
        static double P(List<double> ms, double p) => ms.Order().ElementAt(Math.Min(ms.Count - 1, (int)Math.Ceiling(p * ms.Count) - 1));
        static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, at.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc));
        Console.WriteLine($"crm-push: {jobs} push jobs; answer->enqueued {Of(enqueued)}; enqueued->fetched {Of(waited)}; fetched->received {Of(ran)}");
    }
}
