using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace DrillHarness;

/// <summary>
/// Scenario (c) of <c>./build.sh bench</c> (bench/crm-push.sh): after a steady load, how long each
/// accepted sign-up took from the kiosk's success answer to its first genuine delivery at the
/// loopback CRM (p50, p95, p99), the rate the kiosk reached against the rate asked, pushes per second,
/// the backlog (answered but not yet received) at each quarter of the load, and where the time went,
/// from Hangfire's own tables: answer → push job enqueued (the web's commit, the worker's daemon and
/// the link), enqueued → fetched by a worker (the queue), fetched → at the receiver (the job). Lines
/// start with "crm-push:", which bench/all.sh reads.
/// </summary>
public sealed partial class PushLatency(string connectionString, LoopbackCrm crm, KioskLoad kiosk) : IAsyncDisposable
{
    private readonly List<(DateTimeOffset At, long HighWater, long Linked)> highWater = [];
    private readonly CancellationTokenSource stopping = new();
    private Task? following;

    /// <summary>
    /// Samples the async daemon's high-water mark every 100 ms, so the report can split answer →
    /// enqueued into answer → below the high-water mark (the daemon's gap detection: the sign-up's
    /// event can be read) and high-water mark → enqueued (the subscription's page: link and enqueue).
    /// A failed sample (PostgreSQL restarting in a drill) is skipped.
    /// </summary>
    public void Start() => following ??= Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        await using var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await using var command = source.CreateCommand(
                        "select coalesce(max(last_seq_id) filter (where name = 'HighWaterMark'), 0), coalesce(max(last_seq_id) filter (where name like 'ContactLinking%'), 0) from customerinfo.mt_event_progression");
                    await using var reader = await command.ExecuteReaderAsync(stopping.Token);
                    if (await reader.ReadAsync(stopping.Token))
                    {
                        var sample = (DateTimeOffset.UtcNow, reader.GetInt64(0), reader.GetInt64(1));
                        lock (highWater)
                        {
                            highWater.Add(sample);
                        }
                    }
                }
                catch (NpgsqlException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (following is not null)
        {
            await following;
        }

        stopping.Dispose();
    }

    public async Task<string> ReportAsync(int rateAsked)
    {
        var answered = kiosk.AnsweredAt.ToDictionary();
        var arrived = crm.Deliveries.Where(d => d.Type == "contact.signed_up" && d.SignUpId is { } id && answered.ContainsKey(id))
            .GroupBy(d => d.SignUpId!.Value).ToDictionary(g => g.Key, g => g.Min(d => d.ReceivedAt));
        var report = new StringBuilder();
        if (answered.Count == 0 || arrived.Count == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"crm-push: nothing to report: {answered.Count} sign-ups answered, {arrived.Count} of them received\n");
        }

        var started = kiosk.StartedAt;
        var lastAnswer = answered.Values.Max();
        var lastPush = arrived.Values.Max();
        var latencies = arrived.Select(a => (a.Value - answered[a.Key]).TotalMilliseconds).ToList();
        var sending = (lastAnswer - started).TotalSeconds;
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"crm-push: {answered.Count} sign-ups at {rateAsked}/s; submit->receiver {Percentiles(latencies)}, p99 {P(latencies, 0.99):0} ms; sign-ups {answered.Count / sending:0.0}/s, pushes {arrived.Count / (lastPush - started).TotalSeconds:0.0}/s over the whole run, last push {(lastPush - lastAnswer).TotalSeconds:0.0} s after the last sign-up; {arrived.Count} of {answered.Count} received"));

        // Answered but not yet at the CRM, at each quarter of the load: flat is keeping up, rising is a growing backlog.
        var answers = answered.Values.Order().ToArray();
        var arrivals = arrived.Values.Order().ToArray();
        var quarters = Enumerable.Range(1, 4).Select(q =>
        {
            var at = started + ((lastAnswer - started) * q / 4);
            return Count(answers, at) - Count(arrivals, at);
        });
        report.AppendLine(CultureInfo.InvariantCulture, $"crm-push: backlog (answered, not yet received) at 1/4, 1/2, 3/4 and the end of the load: {string.Join(", ", quarters)}");
        report.AppendLine(await StagesAsync(answered, arrived));
        return report.ToString();
    }

    private static int Count(DateTimeOffset[] sorted, DateTimeOffset at)
    {
        var index = Array.BinarySearch(sorted, at);
        return index >= 0 ? index + 1 : ~index;
    }

    private async Task<string> StagesAsync(Dictionary<Guid, DateTimeOffset> answered, Dictionary<Guid, DateTimeOffset> arrived)
    {
        var sequence = (await StoredSignUps.ReadAsync(connectionString, [.. answered.Keys])).ToDictionary(s => s.Key, s => s.Value.FirstSequence);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select j.arguments, j.createdat, (select min(s.createdat) from hangfire.state s where s.jobid = j.id and s.name = 'Processing') from hangfire.job j where j.arguments::text like '%SignUpId%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        (DateTimeOffset At, long HighWater, long Linked)[] marks;
        lock (highWater)
        {
            marks = [.. highWater];
        }

        DateTimeOffset? Readable(Guid id) =>
            sequence.TryGetValue(id, out var seq) && Array.FindIndex(marks, m => m.HighWater >= seq) is var i and >= 0 ? marks[i].At : null;
        List<double> enqueued = [], readable = [], paged = [], waited = [], ran = [];
        var jobs = 0;
        while (await reader.ReadAsync())
        {
            jobs++;
            var created = Utc(reader.GetDateTime(1));
            DateTimeOffset? fetched = reader.IsDBNull(2) ? null : Utc(reader.GetDateTime(2));
            foreach (var id in GuidPattern().Matches(reader.GetString(0)).Select(m => Guid.Parse(m.Value)).Distinct())
            {
                if (!answered.TryGetValue(id, out var answer))
                {
                    continue;
                }

                enqueued.Add((created - answer).TotalMilliseconds);
                if (Readable(id) is { } read)
                {
                    readable.Add(Math.Max(0, (read - answer).TotalMilliseconds));
                    paged.Add(Math.Max(0, (created - read).TotalMilliseconds));
                }

                if (fetched is { } at && arrived.TryGetValue(id, out var received))
                {
                    waited.Add((at - created).TotalMilliseconds);
                    ran.Add((received - at).TotalMilliseconds);
                }
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"crm-push: {jobs} push jobs; answer->enqueued {Percentiles(enqueued)}; enqueued->fetched {Percentiles(waited)}; fetched->received {Percentiles(ran)}")
            + string.Create(CultureInfo.InvariantCulture, $"\ncrm-push: answer->enqueued split (100 ms samples of the high-water mark): answer->below the high-water mark {Percentiles(readable)}; high-water mark->enqueued {Percentiles(paged)}; {Stalls(marks, kiosk.StartedAt)}");
    }

    /// <summary>
    /// Since the load started, the longest time the high-water mark did not move while events were
    /// being written, and the longest time the subscription's progress did not move while the
    /// high-water mark was ahead of it (it had events to read and did not record a page).
    /// </summary>
    private static string Stalls((DateTimeOffset At, long HighWater, long Linked)[] marks, DateTimeOffset since)
    {
        var window = marks.Where(m => m.At >= since).ToArray();
        double Longest(Func<(DateTimeOffset At, long HighWater, long Linked), long> value, Func<(DateTimeOffset At, long HighWater, long Linked), bool> behind)
        {
            double longest = 0;
            DateTimeOffset? from = null;
            for (var i = 1; i < window.Length; i++)
            {
                if (value(window[i]) == value(window[i - 1]) && behind(window[i]))
                {
                    from ??= window[i - 1].At;
                    longest = Math.Max(longest, (window[i].At - from.Value).TotalSeconds);
                }
                else
                {
                    from = null;
                }
            }

            return longest;
        }

        var last = window.Length == 0 ? 0 : window[^1].HighWater;
        return string.Create(CultureInfo.InvariantCulture,
            $"longest still high-water mark {Longest(m => m.HighWater, m => m.HighWater < last):0.0} s, longest still subscription with events to read {Longest(m => m.Linked, m => m.Linked < m.HighWater):0.0} s");
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static string Percentiles(List<double> ms) =>
        ms.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"p50 {P(ms, 0.5):0} ms, p95 {P(ms, 0.95):0} ms");

    private static double P(List<double> ms, double p)
    {
        var sorted = ms.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
