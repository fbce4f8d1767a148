using System.Text.RegularExpressions;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Crm;

/// <summary>
/// What the CRM made of one call or one contact.
/// <list type="bullet">
/// <item><see cref="CrmResultKind.Done"/>: accepted; <see cref="RecordId"/> is the CRM's id of the record where it gives one.</item>
/// <item><see cref="CrmResultKind.TryLater"/>: the CRM is down, slow, throttling or answering nonsense; the push is retried
/// after <see cref="RetryAfter"/> when the CRM said when (429 <c>Retry-After</c>), else with exponential back-off.</item>
/// <item><see cref="CrmResultKind.Refused"/>: the CRM refused this contact (a field it does not have, a value it does not take);
/// retrying the same data cannot help, so it fails at once with the CRM's reason.</item>
/// <item><see cref="CrmResultKind.BadCredentials"/>: the token or key is wrong or revoked; no endless retries, the retailer must fix the connection.</item>
/// </list>
/// <see cref="Reason"/> is the CRM's own words (status and message), made safe by <see cref="CrmReason.Clean"/>: no
/// personal data, no secrets, at most <see cref="CrmReason.MaxLength"/> characters. It is stored and shown to the retailer.
/// </summary>
public sealed record CrmResult(CrmResultKind Kind, string? RecordId = null, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static CrmResult Done(string? recordId = null) => new(CrmResultKind.Done, recordId);

    public static CrmResult TryLater(string reason, TimeSpan? retryAfter = null) => new(CrmResultKind.TryLater, Reason: reason, RetryAfter: retryAfter);

    public static CrmResult Refused(string reason) => new(CrmResultKind.Refused, Reason: reason);

    public static CrmResult BadCredentials(string reason) => new(CrmResultKind.BadCredentials, Reason: reason);

    public static CrmResult TryLater(CrmProblem problem, TimeSpan? retryAfter = null) => TryLater(CrmProblemText.English(problem), retryAfter) with { Problem = problem };

    public static CrmResult Refused(CrmProblem problem) => Refused(CrmProblemText.English(problem)) with { Problem = problem };

    public static CrmResult BadCredentials(CrmProblem problem) => BadCredentials(CrmProblemText.English(problem)) with { Problem = problem };

    /// <summary>
    /// The reason in parts (<see cref="CrmProblem"/>), worded in the reader's language where it is shown; <see cref="Reason"/> is its
    /// English sentence. Null for a result made from a sentence alone.
    /// </summary>
    public CrmProblem? Problem { get; init; }

    /// <summary>The same outcome with another reason: <paramref name="problem"/>, usually wrapping this one's as its cause.</summary>
    public CrmResult Because(CrmProblem problem) => this with { Problem = problem, Reason = CrmProblemText.English(problem) };

    /// <summary>This result's problem as the cause of another, or a bare sentence's problem when it has none.</summary>
    public CrmProblem AsCause(string crm) => Problem ?? new CrmProblem(CrmProblems.CrmSaid, crm, CrmText: Reason);

    public bool Succeeded => Kind == CrmResultKind.Done;

    /// <summary>
    /// Done, but the CRM has the shopper opted out of all email (HubSpot's <c>hs_email_optout</c>), so the email consent
    /// we carried was not applied: only the shopper lifts that opt-out. Stored on the outcome event, shown with the row.
    /// </summary>
    public bool EmailOptedOut { get; init; }
}

public enum CrmResultKind
{
    Done,
    TryLater,
    Refused,
    BadCredentials,
}

/// <summary>How a CRM's error text becomes a reason we may store and show.</summary>
public static partial class CrmReason
{
    public const int MaxLength = 500;

    /// <summary>
    /// Removes what may identify a shopper or leak a secret: the given values (the contact's email,
    /// phone and names, the connection's secrets), and any email address, phone-like number or long
    /// token-like string left; collapses whitespace; cuts at <see cref="MaxLength"/>.
    /// </summary>
    public static string Clean(string? text, params IEnumerable<string?> sensitive)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(no reason given)";
        }

        var cleaned = text;
        foreach (var value in sensitive.Where(v => !string.IsNullOrWhiteSpace(v) && v.Length >= 3).OrderByDescending(v => v!.Length))
        {
            cleaned = cleaned.Replace(value!, "…", StringComparison.OrdinalIgnoreCase);
        }

        cleaned = Email().Replace(cleaned, "[email]");
        cleaned = PhoneLike().Replace(cleaned, "[number]");
        cleaned = TokenLike().Replace(cleaned, "[hidden]");
        cleaned = Whitespace().Replace(cleaned, " ").Trim();
        return cleaned.Length <= MaxLength ? cleaned : string.Concat(cleaned.AsSpan(0, MaxLength - 1), "…");
    }

    [GeneratedRegex(@"[^\s@<>""'(),;:]+@[^\s@<>""'(),;:]+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>8 or more digits with at most one separator between any two, as phone numbers are written; shorter numbers (a status, 127.0.0.1) stay.</summary>
    [GeneratedRegex(@"\+?\d(?:[ ()./-]?\d){7,}", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneLike();

    /// <summary>A run of 32 or more letters and digits: an API key, a token, a hash of an address.</summary>
    [GeneratedRegex(@"[A-Za-z0-9_\-]{32,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenLike();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
