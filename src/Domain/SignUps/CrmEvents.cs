namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// On a sign-up's stream: its contact reached the retailer's CRM. <see cref="Crm"/> is the connector's
/// kind, <see cref="RecordId"/> the CRM's id of the record (where it gives one), <see cref="DeliveryId"/>
/// the id every attempt of this push carried. <see cref="EmailConsentSent"/> and <see cref="SmsConsentSent"/>
/// mark which consent act the CRM now knows of ("none", "given:{ticks}", "withdrawn:{ticks}"), so a later
/// push sends consent only when it is a new act; null on pushes stored before 2026-12-03. Ids, words and
/// times only: nothing here needs erasing.
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
    string? SmsConsentSent = null);

/// <summary>
/// On a sign-up's stream: one attempt to push it failed with the CRM's own <see cref="Reason"/>
/// (cleaned of personal data and secrets). <see cref="NextAttemptAt"/> is set while it is retried,
/// null when this was the last attempt (or retrying cannot help): the admin shows "failed" then.
/// </summary>
public sealed record CrmPushFailed(
    Guid SignUpId,
    Guid ConnectionId,
    string Crm,
    string Reason,
    string DeliveryId,
    int Attempt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset FailedAt);

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
}
