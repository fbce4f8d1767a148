using System.Globalization;
using System.Text;

namespace DrillHarness;

/// <summary>The verdict of a drill: the report to print, and whether it passed.</summary>
public sealed record Verdict(bool Passed, string Report);

/// <summary>
/// The check every drill ends with. Every sign-up that got a success answer must be in the event store
/// exactly once (one <c>sign_up_submitted</c> event in the stream of its submission id) and must have
/// reached the loopback CRM under exactly one delivery id: the same id twice is a retried delivery
/// (allowed, the receiver drops it), a second id for one sign-up is a double push. Pushes get
/// <c>drain</c> to arrive before the verdict.
/// </summary>
public sealed class DrillCheck(string connectionString, LoopbackCrm crm, KioskLoad kiosk)
{
    public async Task<Verdict> RunAsync(TimeSpan drain, int allowed500, int slowestFailureMs)
    {
        var accepted = kiosk.Accepted.Keys.ToHashSet();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < drain && !accepted.IsSubsetOf(SignedUpDeliveries().Select(d => d.SignUpId!.Value)))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var drained = waited.Elapsed;
        var stored = (await StoredSignUps.ReadAsync(connectionString, kiosk.Attempted.ToArray())).ToDictionary(s => s.Key, s => s.Value.Count);
        var deliveries = SignedUpDeliveries().ToList();
        var idsPerSignUp = deliveries.GroupBy(d => d.SignUpId!.Value).ToDictionary(g => g.Key, g => g.Select(d => d.WebhookId).Distinct(StringComparer.Ordinal).Count());

        var once = accepted.Count(id => stored.GetValueOrDefault(id) == 1);
        var lost = accepted.Where(id => stored.GetValueOrDefault(id) == 0).ToList();
        var doubled = stored.Where(s => s.Value > 1).Select(s => s.Key).ToList();
        var pushed = accepted.Count(idsPerSignUp.ContainsKey);
        var unpushed = accepted.Where(id => !idsPerSignUp.ContainsKey(id)).ToList();
        var pushedTwice = idsPerSignUp.Where(p => p.Value > 1).Select(p => p.Key).ToList();
        var distinctIds = deliveries.Select(d => d.WebhookId).Distinct(StringComparer.Ordinal).Count();
        var storedUnanswered = stored.Keys.Count(id => !accepted.Contains(id));
        var errors500 = kiosk.Failures.Where(f => f.Key.StartsWith('5') && f.Key != "503").Sum(f => f.Value.Count);
        var hangs = kiosk.Failures.GetValueOrDefault("no answer in 15 s").Count;
        var slowest = kiosk.Failures.Where(f => f.Key != "connection refused").Select(f => f.Value.MaxMs).DefaultIfEmpty(0).Max();

        var problems = new List<string>();
        void Expect(bool holds, string problem)
        {
            if (!holds)
            {
                problems.Add(problem);
            }
        }

        Expect(accepted.Count > 0, "no sign-up got a success answer");
        Expect(lost.Count == 0, $"{lost.Count} accepted sign-ups are not in the event store (e.g. {string.Join(", ", lost.Take(3))})");
        Expect(doubled.Count == 0, $"{doubled.Count} sign-ups are stored more than once (e.g. {string.Join(", ", doubled.Take(3))})");
        Expect(unpushed.Count == 0, $"{unpushed.Count} accepted sign-ups never reached the CRM within {drain.TotalSeconds:0} s (e.g. {string.Join(", ", unpushed.Take(3))})");
        Expect(pushedTwice.Count == 0, $"{pushedTwice.Count} sign-ups reached the CRM under more than one delivery id (e.g. {string.Join(", ", pushedTwice.Take(3))})");
        Expect(crm.BadSignatures == 0, $"{crm.BadSignatures} deliveries had a bad signature");
        Expect(kiosk.Refused.Count == 0, $"{kiosk.Refused.Count} valid sign-ups were refused with 422");
        Expect(errors500 <= allowed500, $"{errors500} answers were 5xx other than 503 (a crash, not a clear 'try again')");
        Expect(slowestFailureMs == int.MaxValue || (hangs == 0 && slowest <= slowestFailureMs),
            $"a failed attempt took {slowest:0} ms ({hangs} got no answer in 15 s); the app must answer within {slowestFailureMs} ms");

        var report = new StringBuilder();
        report.AppendLine(problems.Count == 0 ? "PASS" : "FAIL");
        foreach (var problem in problems)
        {
            report.AppendLine("  problem: " + problem);
        }

        report.AppendLine("  " + kiosk.Describe());
        report.AppendLine("  " + crm.Describe());
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  check: {accepted.Count} accepted, {once} stored exactly once, {lost.Count} lost, {doubled.Count} doubled, {storedUnanswered} stored without a success answer; {pushed} pushed, {distinctIds} distinct delivery ids for {deliveries.Count} deliveries, {pushedTwice.Count} pushed under two ids; drained in {drained.TotalSeconds:0} s"));
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT accepted={accepted.Count} once={once} pushed={pushed} ids={distinctIds} deliveries={deliveries.Count} retries={kiosk.Retries} gap={kiosk.LongestGap.TotalSeconds:0.0} drained={drained.TotalSeconds:0}"));
        return new Verdict(problems.Count == 0, report.ToString());
    }

    private IEnumerable<Delivery> SignedUpDeliveries() => crm.Deliveries.Where(d => d.Type == "contact.signed_up" && d.SignUpId is not null);
}
