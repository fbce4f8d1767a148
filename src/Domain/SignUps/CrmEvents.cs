namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// On a sign-up's stream: its contact reached the retailer's CRM. <see cref="Crm"/> is the connector's
/// kind, <see cref="RecordId"/> the CRM's id of the record (where it gives one), <see cref="DeliveryId"/>
/// the id every attempt of this push carried. <see cref="EmailConsentSent"/> and <see cref="SmsConsentSent"/>
/// mark which consent act the CRM now knows of ("none", "given:{ticks}", "withdrawn:{ticks}"), so a later
/// push sends consent only when it is a new act; null on pushes stored before 2026-12-03. <see cref="EmailOptedOut"/>:
/// the CRM has the shopper opted out of all email (HubSpot's <c>hs_email_optout</c>), so the email consent was not
/// applied there; false on pushes stored before 2026-12-03's note. <see cref="ListId"/>: the connection's list (Klaviyo's,
/// Mailchimp's audience, HubSpot's subscription type) when this push was made, so a consent carried to another list is sent
/// to the list the retailer uses now; null when the connector has none, and on pushes stored before. Ids, words and times
/// only: nothing here needs erasing.
/// </summary>
public sealed record SignUpPushedToCrm(
    Guid SignUpId,
    Guid ConnectionId,
    string Crm,
    string? RecordId,
    string DeliveryId,
    int Attempt,
    DateTimeOffset PushedAt,
    string? EmailConsentSent = null,
    string? SmsConsentSent = null,
    bool EmailOptedOut = false,
    string? ListId = null);

/// <summary>
/// On a sign-up's stream: one attempt to push it failed with the CRM's own <see cref="Reason"/>
/// (cleaned of personal data and secrets). <see cref="NextAttemptAt"/> is set while it is retried,
/// null when this was the last attempt (or retrying cannot help): the admin shows "failed" then.
/// <see cref="Problem"/> is the same reason in parts, which the admin words in the reader's language
/// (since 2026-12-03); <see cref="Reason"/> is its English sentence, and all that events stored before have.
/// </summary>
public sealed record CrmPushFailed(
    Guid SignUpId,
    Guid ConnectionId,
    string Crm,
    string Reason,
    string DeliveryId,
    int Attempt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset FailedAt,
    CrmProblem? Problem = null);

/// <summary>
/// Why a call to a CRM failed, in parts, so our framing ("HubSpot answered 400 …", "did not answer") is worded in the
/// reader's language when it is shown, and only the CRM's own words are quoted as they came.
/// <see cref="Code"/> names the sentence (<c>CrmProblems</c> in Application); <see cref="Crm"/> is the connector's kind
/// and <see cref="Host"/> the webhook's host; <see cref="Status"/> and <see cref="StatusPhrase"/> the HTTP answer;
/// <see cref="CrmText"/> the CRM's own error text, verbatim but cleaned of personal data and secrets; <see cref="Detail"/>
/// a value the sentence names (seconds, a media type, field names, a subscription status), never a shopper's data;
/// <see cref="Cause"/> the failure inside this one (a saved contact whose subscription call failed), or the next of
/// several problems.
/// </summary>
public sealed record CrmProblem(
    string Code,
    string Crm,
    string? Host = null,
    int? Status = null,
    string? StatusPhrase = null,
    string? CrmText = null,
    string? Detail = null,
    CrmProblem? Cause = null);

/// <summary>
/// On a sign-up's stream: its push was queued again by hand (<see cref="Why"/>: a Manager's retry, the
/// history sent to a new connection, a connection made while it waited), so the admin shows it waiting.
/// </summary>
public sealed record SignUpQueuedForCrm(Guid SignUpId, Guid ConnectionId, CrmQueueReason Why, DateTimeOffset QueuedAt);

public enum CrmQueueReason
{
    Retry,
    Connected,
    History,

    /// <summary>The retailer chose another list for the connection: known consents join it (ADR 19).</summary>
    ListChanged,

    /// <summary>
    /// The connection passed a test after the CRM had refused its credentials (401, 403, a key that was
    /// missing or malformed): the sign-ups it refused for that are sent again.
    /// </summary>
    CredentialsFixed,
}
