using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace DrillHarness;

/// <summary>
/// Tablets posting the demo store's kiosk form as a browser would: a fresh antiforgery token and
/// cookie from <c>GET /?handler=token</c> (what kiosk.js asks for), then the form POST with a new
/// submission id per sign-up. A sign-up that does not get its redirect (a refused or dropped
/// connection, no answer within 15 s, 429, 5xx, a stale token's 400) is sent again after a pause with
/// the same submission id and fields, as the offline queue does (ADR 7), until it is answered. The
/// webs are taken in turn, request by request.
/// </summary>
public sealed class KioskLoad(IReadOnlyList<string> targets, string host) : IDisposable
{
    /// <summary>The service worker's wait before it keeps a sign-up for later (ADR 7).</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        MaxConnectionsPerServer = 256,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private readonly ConcurrentDictionary<Guid, int> accepted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> answeredAt = new();
    private readonly ConcurrentDictionary<Guid, byte> attempted = new();
    private readonly ConcurrentDictionary<Guid, string> refused = new();
    private readonly ConcurrentDictionary<string, (int Count, double MaxMs)> failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DateTimeOffset> successes = new();
    private readonly List<Task> tablets = [];
    private CancellationTokenSource stopNew = new();
    private CancellationTokenSource abandon = new();
    private long turn;
    private long retries;

    public IReadOnlyList<string> Targets => targets;

    public string Host => host;

    /// <summary>Sign-ups that got a success answer (a redirect), with the attempts each took.</summary>
    public IReadOnlyDictionary<Guid, int> Accepted => accepted;

    /// <summary>When each sign-up accepted since the load last started got its success answer: where the benchmark's kiosk answer → CRM time starts.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> AnsweredAt => answeredAt;

    /// <summary>When the load last started: the benchmark's rate reached is counted from here.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Every submission id sent at least once.</summary>
    public IReadOnlyCollection<Guid> Attempted => attempted.Keys.ToArray();

    /// <summary>Sign-ups answered 422 (refused as invalid): the generated ones are valid, so each is a defect.</summary>
    public IReadOnlyDictionary<Guid, string> Refused => refused;

    public IReadOnlyDictionary<string, (int Count, double MaxMs)> Failures => failures;

    public long Retries => Interlocked.Read(ref retries);

    /// <summary>The longest time between two success answers while the load ran: how long the kiosks saw the outage.</summary>
    public TimeSpan LongestGap
    {
        get
        {
            var times = successes.ToArray().Order().ToArray();
            return times.Length < 2 ? TimeSpan.Zero : times.Zip(times.Skip(1), (a, b) => b - a).Max();
        }
    }

    public void Start(int tabletCount, int ratePerSecond, TimeSpan pause)
    {
        stopNew = new CancellationTokenSource();
        abandon = new CancellationTokenSource();
        StartedAt = DateTimeOffset.UtcNow;
        answeredAt.Clear(); // the benchmark measures the load after its warm-up only
        var interval = TimeSpan.FromSeconds((double)tabletCount / Math.Max(1, ratePerSecond));
        for (var i = 0; i < tabletCount; i++)
        {
            var offset = interval * i / tabletCount;
            tablets.Add(Task.Run(() => RunTabletAsync(offset, interval, pause)));
        }
    }

    /// <summary>No new sign-ups; the ones being sent get until <paramref name="settle"/> to be answered. True when every one was.</summary>
    public async Task<bool> StopAsync(TimeSpan settle)
    {
        await stopNew.CancelAsync();
        var all = Task.WhenAll(tablets);
        if (await Task.WhenAny(all, Task.Delay(settle)) != all)
        {
            await abandon.CancelAsync();
            await all;
        }

        tablets.Clear();
        return attempted.Keys.All(id => accepted.ContainsKey(id) || refused.ContainsKey(id));
    }

    public void Dispose()
    {
        http.Dispose();
        stopNew.Dispose();
        abandon.Dispose();
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"kiosk: {accepted.Count} accepted of {attempted.Count} sent, {Retries} resubmissions, {refused.Count} refused (422); failed attempts: {(failures.IsEmpty ? "none" : string.Join(", ", failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ×{f.Value.Count} (slowest {f.Value.MaxMs:0} ms)")))}; longest gap between successes {LongestGap.TotalSeconds:0.0} s");

    private async Task RunTabletAsync(TimeSpan offset, TimeSpan interval, TimeSpan pause)
    {
        var session = new TabletSession();
        var next = Stopwatch.GetTimestamp() + (long)(offset.TotalSeconds * Stopwatch.Frequency);
        while (!stopNew.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stopNew.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var id = Guid.NewGuid();
            attempted[id] = 0;
            await SendUntilAnsweredAsync(session, id, pause);
        }
    }

    private async Task SendUntilAnsweredAsync(TabletSession session, Guid id, TimeSpan pause)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Command.SubmissionId"] = id.ToString(),
            ["Command.FormVersion"] = "1",
            ["Command.Language"] = "en",
            ["Command.FirstName"] = "Drill",
            ["Command.LastName"] = "Shopper",
            ["Command.Email"] = $"drill-{id:N}@example.com",
            ["Command.EmailConsent"] = "true",
        };
        for (var attempt = 1; !abandon.IsCancellationRequested; attempt++)
        {
            var target = targets[(int)(Interlocked.Increment(ref turn) % targets.Count)];
            var outcome = await PostAsync(session, target, fields);
            if (outcome is "accepted")
            {
                var now = DateTimeOffset.UtcNow;
                answeredAt[id] = now;
                accepted[id] = attempt;
                successes.Enqueue(now);
                return;
            }

            if (outcome is "422")
            {
                refused[id] = outcome;
                return;
            }

            // Kept on the tablet; the next round fetches a fresh token first (kiosk.js).
            session.Token = null;
            Interlocked.Increment(ref retries);
            try
            {
                await Task.Delay(pause, abandon.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>"accepted", "422", or the failure's kind (recorded with its time).</summary>
    private async Task<string> PostAsync(TabletSession session, string target, Dictionary<string, string> fields)
    {
        var started = Stopwatch.GetTimestamp();
        string kind;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abandon.Token);
            timeout.CancelAfter(AnswerTimeout);
            if (session.Token is null)
            {
                using var ask = new HttpRequestMessage(HttpMethod.Get, target + "/?handler=token");
                ask.Headers.Host = host;
                using var answer = await http.SendAsync(ask, timeout.Token);
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    return Failed($"token {(int)answer.StatusCode}", started);
                }

                session.Remember(answer);
                using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(timeout.Token));
                session.Token = json.RootElement.GetProperty("token").GetString();
            }

            using var post = new HttpRequestMessage(HttpMethod.Post, target + "/")
            {
                Content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", session.Token!))),
            };
            post.Headers.Host = host;
            post.Headers.Add("Cookie", session.Cookie);
            using var response = await http.SendAsync(post, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is 302 or 303)
            {
                return "accepted";
            }

            kind = status.ToString(CultureInfo.InvariantCulture);
            if (status == 422)
            {
                return kind;
            }
        }
        catch (OperationCanceledException) when (!abandon.IsCancellationRequested)
        {
            kind = "no answer in 15 s";
        }
        catch (HttpRequestException exception)
        {
            kind = exception.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused" : "connection dropped";
        }
        catch (OperationCanceledException)
        {
            kind = "abandoned";
        }

        return Failed(kind, started);
    }

    private string Failed(string kind, long started)
    {
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        failures.AddOrUpdate(kind, _ => (1, ms), (_, seen) => (seen.Count + 1, Math.Max(seen.MaxMs, ms)));
        return kind;
    }

    /// <summary>One tablet's browser: its cookies and the current antiforgery token.</summary>
    private sealed class TabletSession : CookieJar
    {
        public string? Token { get; set; }
    }
}
