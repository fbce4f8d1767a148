using System.Globalization;
using System.Resources;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Crm;

/// <summary>
/// The sentences of <see cref="CrmProblem"/> (CrmProblemText.resx, CrmProblemText.nl.resx): our framing in the reader's
/// language around the CRM's own words, which are quoted as they came. A failed push's reason is stored in parts and
/// worded here when it is shown; <see cref="English"/> is the sentence stored beside it (for the job's log and for readers
/// of the event that know no parts). Placeholders: {0} the CRM's name, {1} the HTTP status, {2} its reason phrase,
/// {3} ": " and the CRM's text (or nothing), {4} the detail, {5} the cause.
/// </summary>
public static class CrmProblemText
{
    private static readonly ResourceManager Resources = new(typeof(CrmProblemText));
    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-GB");

    public static string English(CrmProblem problem) => Describe(problem, EnglishCulture);

    /// <summary>The reason in <paramref name="culture"/>'s language (Dutch for nl, English otherwise), cut at <see cref="CrmReason.MaxLength"/>.</summary>
    public static string Describe(CrmProblem problem, CultureInfo culture)
    {
        var text = Sentence(problem, culture, depth: 0);
        return text.Length <= CrmReason.MaxLength ? text : string.Concat(text.AsSpan(0, CrmReason.MaxLength - 1), "…");
    }

    /// <summary>What the admin shows for a stored reason: the parts worded in <paramref name="culture"/>, or the stored sentence where there are no parts (events before 2026-12-03).</summary>
    public static string? Show(string? reason, CrmProblem? problem, CultureInfo culture) =>
        problem is null ? reason : Describe(problem, culture);

    private static string Sentence(CrmProblem problem, CultureInfo culture, int depth)
    {
        var template = Resources.GetString(problem.Code, culture) ?? Resources.GetString(CrmProblems.Unknown, culture)!;
        var cause = problem.Cause is { } inner && depth < 4 ? Sentence(inner, culture, depth + 1) : string.Empty;
        var text = string.Format(
            culture,
            template,
            Name(problem, culture),
            problem.Status?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            problem.StatusPhrase ?? string.Empty,
            string.IsNullOrWhiteSpace(problem.CrmText) ? string.Empty : ": " + problem.CrmText,
            problem.Detail ?? string.Empty,
            cause);

        // A cause the sentence does not name is the next of several problems (a webhook's settings): it follows.
        return cause.Length > 0 && !template.Contains("{5}", StringComparison.Ordinal) ? text + " " + cause : text;
    }

    private static string Name(CrmProblem problem, CultureInfo culture) => problem switch
    {
        { Crm: CrmNames.Webhook, Host: { } host } => string.Format(culture, Resources.GetString("Name_webhook_at", culture)!, host),
        { Crm: CrmNames.Webhook } => Resources.GetString("Name_webhook", culture)!,
        _ => CrmNames.DisplayName(problem.Crm),
    };
}

/// <summary>The codes of <see cref="CrmProblem"/>, one per sentence of CrmProblemText.resx. Stored in events: never rename one.</summary>
public static class CrmProblems
{
    public const string NoAnswerTimeout = nameof(NoAnswerTimeout);
    public const string NoAnswerName = nameof(NoAnswerName);
    public const string NoAnswerConnection = nameof(NoAnswerConnection);
    public const string NoAnswerCertificate = nameof(NoAnswerCertificate);
    public const string NoAnswerEnded = nameof(NoAnswerEnded);
    public const string NoAnswerOther = nameof(NoAnswerOther);
    public const string TargetIsNotPublic = nameof(TargetIsNotPublic);
    public const string TargetResolvesToNotPublic = nameof(TargetResolvesToNotPublic);
    public const string Answered = nameof(Answered);
    public const string AnsweredHtml = nameof(AnsweredHtml);
    public const string AnsweredTooLarge = nameof(AnsweredTooLarge);
    public const string NotJsonTooLarge = nameof(NotJsonTooLarge);
    public const string NotJsonHtml = nameof(NotJsonHtml);
    public const string NotJson = nameof(NotJson);
    public const string NotJsonNoType = nameof(NotJsonNoType);
    public const string Redirect = nameof(Redirect);
    public const string ContactRefused = nameof(ContactRefused);
    public const string CrmSaid = nameof(CrmSaid);
    public const string IncompleteAnswer = nameof(IncompleteAnswer);
    public const string ThrottledBare403 = nameof(ThrottledBare403);
    public const string NoEmail = nameof(NoEmail);
    public const string NoKeyToErase = nameof(NoKeyToErase);
    public const string CannotMerge = nameof(CannotMerge);
    public const string CannotErase = nameof(CannotErase);
    public const string CredentialsMissing = nameof(CredentialsMissing);
    public const string CredentialsMalformed = nameof(CredentialsMalformed);
    public const string ListInvalid = nameof(ListInvalid);
    public const string ListNotFound = nameof(ListNotFound);
    public const string SettingsInvalid = nameof(SettingsInvalid);
    public const string MergeFieldsMissing = nameof(MergeFieldsMissing);
    public const string WebhookUrlMissing = nameof(WebhookUrlMissing);
    public const string WebhookUrlInvalid = nameof(WebhookUrlInvalid);
    public const string WebhookNotHttps = nameof(WebhookNotHttps);
    public const string WebhookSecretInvalid = nameof(WebhookSecretInvalid);
    public const string OptOutUnread = nameof(OptOutUnread);
    public const string SubscriptionFailed = nameof(SubscriptionFailed);
    public const string SubscribeEmailFailed = nameof(SubscribeEmailFailed);
    public const string SubscribeSmsFailed = nameof(SubscribeSmsFailed);
    public const string UnsubscribeFailed = nameof(UnsubscribeFailed);
    public const string JoinListFailed = nameof(JoinListFailed);
    public const string ConnectionGone = nameof(ConnectionGone);
    public const string IdentityUnreadable = nameof(IdentityUnreadable);
    public const string NotLinkedYet = nameof(NotLinkedYet);
    public const string ConnectorGone = nameof(ConnectorGone);
    public const string SecretsUnreadable = nameof(SecretsUnreadable);
    public const string NoFieldsListed = nameof(NoFieldsListed);
    public const string Unknown = nameof(Unknown);
}
