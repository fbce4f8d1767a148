using CustomerInfo.Domain.SignUps;
using Marten.Events.Aggregation;

namespace CustomerInfo.Application.SignUps.ListSignUps;

/// <summary>One row of the retailer's sign-up list, kept current in the same transaction as the sign-up.</summary>
public sealed record SignUpSummary
{
    public Guid Id { get; init; }

    public DateTimeOffset FilledAt { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Email { get; init; }

    /// <summary>In E.164, as the kiosk stored it: the phone search compares it exactly.</summary>
    public string? Phone { get; init; }

    public Birthday? Birthday { get; init; }

    public string? PostalCode { get; init; }

    /// <summary>The answers to the store's own questions (keys; the form version words them).</summary>
    public IReadOnlyList<QuestionAnswer>? Answers { get; init; }

    public int FormVersion { get; init; }

    /// <summary>
    /// Search keys, columns of their own with indexes (MartenConfiguration): the email lower-cased
    /// (as <see cref="ContactKey"/> tells shoppers apart) and the names lower-cased for a prefix search.
    /// Personal data like the fields they come from: an erasure clears them too.
    /// </summary>
    public string? EmailKey { get; init; }

    public string? FirstNameKey { get; init; }

    public string? LastNameKey { get; init; }

    /// <summary>The free-text location of sign-ups made before stores existed.</summary>
    public string? Location { get; init; }

    /// <summary>The store the tablet's kiosk link belongs to; null for the store's bare address.</summary>
    public Guid? StoreId { get; init; }

    public Guid? KioskLinkId { get; init; }

    /// <summary>
    /// The kiosk, or an imported customer list: the list tags imported rows and the dashboard counts
    /// kiosk sign-ups only (billing will count <see cref="SignUpSource.Kiosk"/> rows). A column of its
    /// own with an index (MartenConfiguration), for the list's source filter.
    /// </summary>
    public SignUpSource Source { get; init; }

    /// <summary>The import a row of an imported list came from; null for kiosk sign-ups.</summary>
    public Guid? ImportId { get; init; }

    public bool Imported => Source == SignUpSource.Import;

    public string Language { get; init; } = "en";

    public bool EmailConsent { get; init; }

    public bool SmsConsent { get; init; }

    /// <summary>Set once the sign-up is linked to its contact (moments after it is received).</summary>
    public Guid? ContactId { get; init; }

    public bool ReturningShopper { get; init; }

    /// <summary>Set when the shopper was erased (their details are gone from the row too): when, and who asked.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    public string? ErasedBy { get; init; }

    /// <summary>
    /// Where the sign-up's push to the CRM stands (issue 12): waiting (not connected yet, or queued),
    /// retrying, pushed, failed, or not sent (an import the Manager kept out of the CRM). A column of
    /// its own with an index (MartenConfiguration), for the list's filter and the dashboard's counts.
    /// </summary>
    public CrmPushStatus CrmStatus { get; init; }

    /// <summary>The connection of the last outcome (a switch of CRM starts a new one).</summary>
    public Guid? CrmConnectionId { get; init; }

    /// <summary>The CRM's id of the record, from the last successful push.</summary>
    public string? CrmRecordId { get; init; }

    /// <summary>The delivery id of the last push (the same on each of its retries).</summary>
    public string? CrmDeliveryId { get; init; }

    /// <summary>The CRM's own reason for the last failed attempt (no personal data); cleared by a success.</summary>
    public string? CrmReason { get; init; }

    /// <summary>The same reason in parts (<see cref="CrmPushFailed.Problem"/>), worded in the reader's language; null before 2026-12-03.</summary>
    public CrmProblem? CrmProblem { get; init; }

    /// <summary>
    /// The CRM's kind ("hubspot") when the last successful push found the shopper opted out of all email there, so the
    /// email consent was not applied (<c>SignUpPushedToCrm.EmailOptedOut</c>); null otherwise. The row and the detail say so.
    /// </summary>
    public string? CrmEmailOptedOutIn { get; init; }

    public int CrmAttempts { get; init; }

    /// <summary>When the last outcome (pushed, failed, queued) was recorded.</summary>
    public DateTimeOffset? CrmUpdatedAt { get; init; }

    /// <summary>While retrying: when the next attempt is due.</summary>
    public DateTimeOffset? CrmNextAttemptAt { get; init; }

    /// <summary>
    /// The last successful push (kept through later failures and retries): its connection, its time, and the
    /// consent acts it told the CRM of (<c>CrmConsent.Mark</c>; null for pushes stored before marks were).
    /// The push pipeline reads them to send consent only when it is a new act of the shopper.
    /// </summary>
    public Guid? CrmPushedConnectionId { get; init; }

    public DateTimeOffset? CrmPushedAt { get; init; }

    public string? CrmEmailConsentSent { get; init; }

    public string? CrmSmsConsentSent { get; init; }

    /// <summary>The connection's list when the last successful push was made (<c>SignUpPushedToCrm.ListId</c>); null before 2026-12-03.</summary>
    public string? CrmPushedListId { get; init; }

    /// <summary>How a search key is made of a stored value (and of what is searched for): lower-cased, culture-free.</summary>
    public static string? SearchKey(string? value) => string.IsNullOrEmpty(value) ? null : value.ToLowerInvariant();
}

/// <summary>Where a sign-up's push to the CRM stands; stored as a number, so only ever add at the end.</summary>
public enum CrmPushStatus
{
    /// <summary>Not pushed yet: queued, or waiting for the store to connect a CRM.</summary>
    Waiting,
    Pushed,

    /// <summary>An attempt failed; another is scheduled.</summary>
    Retrying,

    /// <summary>The last attempt failed (or the CRM refused it); a Manager can retry it.</summary>
    Failed,

    /// <summary>Imported without "also send these to my CRM": never pushed unless the history is sent.</summary>
    NotSent,
}

public sealed partial class SignUpSummaryProjection : SingleStreamProjection<SignUpSummary, Guid>
{
    public static SignUpSummary Create(SignUpSubmitted submitted) => new()
    {
        Id = submitted.SignUpId,
        FilledAt = submitted.FilledAt,
        ReceivedAt = submitted.ReceivedAt,
        FirstName = submitted.Shopper.FirstName,
        LastName = submitted.Shopper.LastName,
        Email = submitted.Shopper.Email,
        Phone = submitted.Shopper.Phone,
        Birthday = submitted.Shopper.Birthday,
        PostalCode = submitted.Shopper.PostalCode,
        Answers = submitted.Answers,
        FormVersion = submitted.FormVersion,
        EmailKey = SignUpSummary.SearchKey(submitted.Shopper.Email),
        FirstNameKey = SignUpSummary.SearchKey(submitted.Shopper.FirstName),
        LastNameKey = SignUpSummary.SearchKey(submitted.Shopper.LastName),
        Location = submitted.Location,
        StoreId = submitted.StoreId,
        KioskLinkId = submitted.KioskLinkId,
        Source = submitted.Source,
        ImportId = submitted.ImportId,
        Language = submitted.Language,
        EmailConsent = submitted.EmailConsent is not null,
        SmsConsent = submitted.SmsConsent is not null,
        CrmStatus = submitted.PushToCrm ? CrmPushStatus.Waiting : CrmPushStatus.NotSent,
    };

    public static SignUpSummary Apply(SignUpPushedToCrm pushed, SignUpSummary summary) => summary with
    {
        CrmStatus = CrmPushStatus.Pushed,
        CrmConnectionId = pushed.ConnectionId,
        CrmRecordId = pushed.RecordId ?? summary.CrmRecordId,
        CrmDeliveryId = pushed.DeliveryId,
        CrmReason = null,
        CrmProblem = null,
        CrmEmailOptedOutIn = pushed.EmailOptedOut ? pushed.Crm : null,
        CrmAttempts = pushed.Attempt,
        CrmUpdatedAt = pushed.PushedAt,
        CrmNextAttemptAt = null,
        CrmPushedConnectionId = pushed.ConnectionId,
        CrmPushedAt = pushed.PushedAt,
        CrmEmailConsentSent = pushed.EmailConsentSent,
        CrmSmsConsentSent = pushed.SmsConsentSent,
        CrmPushedListId = pushed.ListId,
    };

    public static SignUpSummary Apply(CrmPushFailed failed, SignUpSummary summary) => summary with
    {
        CrmStatus = failed.NextAttemptAt is null ? CrmPushStatus.Failed : CrmPushStatus.Retrying,
        CrmConnectionId = failed.ConnectionId,
        CrmDeliveryId = failed.DeliveryId,
        CrmReason = failed.Reason,
        CrmProblem = failed.Problem,
        CrmAttempts = failed.Attempt,
        CrmUpdatedAt = failed.FailedAt,
        CrmNextAttemptAt = failed.NextAttemptAt,
    };

    public static SignUpSummary Apply(SignUpQueuedForCrm queued, SignUpSummary summary) => summary with
    {
        CrmStatus = CrmPushStatus.Waiting,
        CrmConnectionId = queued.ConnectionId,
        CrmUpdatedAt = queued.QueuedAt,
        CrmNextAttemptAt = null,
    };

    public static SignUpSummary Apply(SignUpAttributedToStore attributed, SignUpSummary summary) =>
        summary with { StoreId = attributed.StoreId };

    public static SignUpSummary Apply(SignUpLinkedToContact linked, SignUpSummary summary) =>
        summary with { ContactId = linked.ContactId, ReturningShopper = !linked.NewContact };

    /// <summary>The sign-up's contact was merged into another: the row points at the contact that holds it now.</summary>
    public static SignUpSummary Apply(SignUpRelinkedToContact relinked, SignUpSummary summary) =>
        summary with { ContactId = relinked.ContactId };

    public static SignUpSummary Apply(SignUpErased erased, SignUpSummary summary) => summary with
    {
        FirstName = null,
        LastName = null,
        Email = null,
        Phone = null,
        Birthday = null,
        PostalCode = null,
        Answers = null,
        EmailKey = null,
        FirstNameKey = null,
        LastNameKey = null,
        ErasedAt = erased.ErasedAt,
        ErasedBy = erased.ErasedBy,
    };
}
