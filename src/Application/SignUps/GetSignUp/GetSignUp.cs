using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.GetSignUp;

/// <summary>
/// One sign-up as the shopper gave it: the answers in the words of the form version they saw, in
/// their language; the consent proofs; the store and kiosk link; and its history, read from its own
/// stream. Null when the current store has no such sign-up (another store's id included).
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetSignUpQuery(Guid SignUpId) : IQuery<SignUpDetail?>;

public sealed record SignUpDetail(
    SignUpSummary Summary,
    IReadOnlyList<ExportedAnswer> Answers,
    ConsentProof? EmailConsent,
    ConsentProof? SmsConsent,
    RetailStore? Store,
    string? KioskLinkLabel,
    string? LocationName,
    TimeZoneInfo TimeZone,
    IReadOnlyList<SignUpHistoryEntry> History)
{
    public bool Erased => Summary.ErasedAt is not null;

    /// <summary>The store has an active CRM connection: without one, a waiting sign-up shows "not connected".</summary>
    public bool CrmConnected { get; init; }
}

public enum SignUpHistoryKind
{
    Submitted,
    AttributedToStore,
    LinkedToContact,
    RelinkedToContact,
    Erased,

    /// <summary>Its contact reached the CRM (<see cref="SignUpHistoryEntry.Crm"/>).</summary>
    PushedToCrm,

    /// <summary>An attempt to push it failed; <see cref="CrmPushEntry.NextAttemptAt"/> says whether another follows.</summary>
    CrmPushFailed,

    /// <summary>Queued for the CRM again (<see cref="CrmPushEntry.Why"/>).</summary>
    QueuedForCrm,
}

/// <param name="ContactId">The contact linked to (the new one, for a relink).</param>
/// <param name="NewContact">For a link: whether the sign-up started a new contact.</param>
/// <param name="Crm">For the CRM's entries: what happened with the push.</param>
public sealed record SignUpHistoryEntry(SignUpHistoryKind Kind, DateTimeOffset At, Guid? ContactId = null, bool NewContact = false, CrmPushEntry? Crm = null);

/// <summary>A push's outcome as the timeline shows it: the CRM by name, its record id, the attempt, its reason, what follows.</summary>
/// <param name="Kind">The connector's kind (<see cref="Crm.CrmNames"/>), for a page that words the name in its language.</param>
public sealed record CrmPushEntry(string? Crm, int Attempt = 0, string? RecordId = null, string? Reason = null, DateTimeOffset? NextAttemptAt = null, CrmQueueReason? Why = null, string? Kind = null, bool EmailOptedOut = false, CrmProblem? Problem = null);

public sealed class GetSignUpHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions, ICrmConnectors connectors) : IQueryHandler<GetSignUpQuery, SignUpDetail?>
{
    public async ValueTask<SignUpDetail?> Handle(GetSignUpQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<SignUpSummary>(query.SignUpId, cancellationToken) is not { } summary)
        {
            return null;
        }

        var events = (await session.Events.FetchStreamAsync(query.SignUpId, token: cancellationToken)).Select(e => e.Data).ToList();
        var submitted = events.OfType<SignUpSubmitted>().FirstOrDefault();
        var form = await definitions.VersionAsync(tenant.RequiredTenant, submitted?.FormVersion ?? summary.FormVersion, cancellationToken);
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var store = stores.FirstOrDefault(s => s.Id == summary.StoreId);

        return new SignUpDetail(
            summary,
            summary.ErasedAt is null ? (submitted?.Answers ?? []).Select(a => AnswerWording.Worded(a, form, summary.Language)).ToList() : [],
            submitted?.EmailConsent,
            submitted?.SmsConsent,
            store,
            store?.Links.FirstOrDefault(l => l.LinkId == summary.KioskLinkId)?.Label,
            form.FindLocation(summary.Location)?.Name ?? summary.Location,
            store is null ? TenantTimeZone.ZoneOf(stores) : StoreTimeZones.Find(store.TimeZone),
            events.Select(History).OfType<SignUpHistoryEntry>().ToList())
        {
            CrmConnected = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is { Active: true },
        };
    }

    /// <summary>The connector's name ("HubSpot"), or its kind when no connector of that kind is registered any more.</summary>
    private string CrmName(string kind) => connectors.Find(kind) is { } connector ? connector.Info.DisplayName : kind;

    private SignUpHistoryEntry? History(object data) => data switch
    {
        SignUpSubmitted e => new(SignUpHistoryKind.Submitted, e.ReceivedAt),
        SignUpAttributedToStore e => new(SignUpHistoryKind.AttributedToStore, e.AttributedAt),
        SignUpLinkedToContact e => new(SignUpHistoryKind.LinkedToContact, e.LinkedAt, e.ContactId, e.NewContact),
        SignUpRelinkedToContact e => new(SignUpHistoryKind.RelinkedToContact, e.RelinkedAt, e.ContactId),
        SignUpErased e => new(SignUpHistoryKind.Erased, e.ErasedAt),
        SignUpPushedToCrm e => new(SignUpHistoryKind.PushedToCrm, e.PushedAt, Crm: new(CrmName(e.Crm), e.Attempt, e.RecordId, Kind: e.Crm, EmailOptedOut: e.EmailOptedOut)),
        CrmPushFailed e => new(SignUpHistoryKind.CrmPushFailed, e.FailedAt, Crm: new(CrmName(e.Crm), e.Attempt, Reason: e.Reason, NextAttemptAt: e.NextAttemptAt, Kind: e.Crm, Problem: e.Problem)),
        SignUpQueuedForCrm e => new(SignUpHistoryKind.QueuedForCrm, e.QueuedAt, Crm: new(null, Why: e.Why)),
        _ => null,
    };
}
