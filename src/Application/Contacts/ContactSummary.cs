using CustomerInfo.Domain.SignUps;
using Marten;
using Marten.Events.Aggregation;

namespace CustomerInfo.Application.Contacts;

/// <summary>
/// A shopper as the store knows them now: the latest details they gave, their consent, and how
/// often they signed up. Their full history stays in the contact's event stream. A contact merged
/// into another keeps what it was, and <see cref="MergedInto"/> names the contact it lives on in.
/// </summary>
public sealed record ContactSummary
{
    public Guid Id { get; init; }

    public Shopper Shopper { get; init; } = ShopperData.None;

    /// <summary>The most recently given email consent (of any sign-up of this shopper, merged ones included).</summary>
    public ConsentProof? EmailConsent { get; init; }

    /// <summary>The most recently given SMS consent (of any sign-up of this shopper, merged ones included).</summary>
    public ConsentProof? SmsConsent { get; init; }

    /// <summary>Every consent proof this shopper gave, oldest first per contact: none is dropped, not by a merge either.</summary>
    public IReadOnlyList<ConsentProof> ConsentProofs { get; init; } = [];

    public int SignUps { get; init; }

    public DateTimeOffset FirstSignedUpAt { get; init; }

    public DateTimeOffset LastSignedUpAt { get; init; }

    public IReadOnlyList<Guid> SignUpIds { get; init; } = [];

    /// <summary>Contacts found to be this shopper and merged into this one (and those they had absorbed).</summary>
    public IReadOnlyList<Guid> AbsorbedContactIds { get; init; } = [];

    /// <summary>Set when this contact was merged into another: the contact that holds this shopper now.</summary>
    public Guid? MergedInto { get; init; }

    public DateTimeOffset? MergedAt { get; init; }

    /// <summary>Set when the shopper was erased: their details and current consent are gone; when, and who asked.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    public string? ErasedBy { get; init; }

    /// <summary>When the shopper last withdrew their email consent; <see cref="EmailConsent"/> is null until they give it again.</summary>
    public DateTimeOffset? EmailConsentWithdrawnAt { get; init; }

    /// <summary>When the shopper last withdrew their SMS consent; <see cref="SmsConsent"/> is null until they give it again.</summary>
    public DateTimeOffset? SmsConsentWithdrawnAt { get; init; }

    /// <summary>The whole name as the contact list's name search compares it (a column of its own, see <see cref="ContactSearch"/>).</summary>
    public string? NameKey => ContactSearch.NameKey(Shopper.FirstName, Shopper.LastName);

    /// <summary>The last name alone, so a search for "de Vries" finds Ann de Vries too.</summary>
    public string? LastNameKey => ContactSearch.NameKey(null, Shopper.LastName);

    /// <summary>This contact as it is absorbed into another: what <see cref="ContactAbsorbed"/> carries.</summary>
    public AbsorbedContact AsAbsorbed() => new(
        Id, Shopper, EmailConsent, SmsConsent, ConsentProofs, SignUpIds, AbsorbedContactIds, FirstSignedUpAt, LastSignedUpAt, EmailConsentWithdrawnAt, SmsConsentWithdrawnAt);

    public ConsentProof? ConsentOn(ConsentChannel channel) => channel == ConsentChannel.Email ? EmailConsent : SmsConsent;

    public DateTimeOffset? WithdrawnOn(ConsentChannel channel) => channel == ConsentChannel.Email ? EmailConsentWithdrawnAt : SmsConsentWithdrawnAt;
}

public sealed partial class ContactSummaryProjection : SingleStreamProjection<ContactSummary, Guid>
{
    public static ContactSummary Create(ContactCreated created) => new()
    {
        Id = created.ContactId,
        Shopper = created.Shopper,
        EmailConsent = created.EmailConsent,
        SmsConsent = created.SmsConsent,
        ConsentProofs = Proofs(created.EmailConsent, created.SmsConsent),
        SignUps = 1,
        FirstSignedUpAt = created.CreatedAt,
        LastSignedUpAt = created.CreatedAt,
        SignUpIds = [created.SignUpId],
    };

    /// <summary>What the shopper gave last wins; what they left empty this time is kept from before.</summary>
    public static ContactSummary Apply(ContactDetailsUpdated updated, ContactSummary contact) => contact with
    {
        Shopper = Fill(updated.Shopper, contact.Shopper),
        EmailConsent = updated.EmailConsent ?? contact.EmailConsent,
        SmsConsent = updated.SmsConsent ?? contact.SmsConsent,
        ConsentProofs = [.. contact.ConsentProofs, .. Proofs(updated.EmailConsent, updated.SmsConsent)],
        SignUps = contact.SignUps + 1,
        LastSignedUpAt = updated.UpdatedAt,
        SignUpIds = [.. contact.SignUpIds, updated.SignUpId],
    };

    /// <summary>
    /// Another contact turned out to be this shopper: its sign-ups and consent proofs join this
    /// contact's. For the details, the contact that signed up last wins and the other fills what it
    /// left empty; per channel, the most recently given consent is the current one.
    /// </summary>
    public static ContactSummary Apply(ContactAbsorbed absorbed, ContactSummary contact)
    {
        var other = absorbed.Absorbed;
        var otherIsNewer = other.LastSignedUpAt > contact.LastSignedUpAt;
        var emailWithdrawn = Latest(contact.EmailConsentWithdrawnAt, other.EmailConsentWithdrawnAt);
        var smsWithdrawn = Latest(contact.SmsConsentWithdrawnAt, other.SmsConsentWithdrawnAt);
        return contact with
        {
            Shopper = otherIsNewer ? Fill(other.Shopper, contact.Shopper) : Fill(contact.Shopper, other.Shopper),
            EmailConsent = GivenSince(Newest(contact.EmailConsent, other.EmailConsent), emailWithdrawn),
            SmsConsent = GivenSince(Newest(contact.SmsConsent, other.SmsConsent), smsWithdrawn),
            EmailConsentWithdrawnAt = emailWithdrawn,
            SmsConsentWithdrawnAt = smsWithdrawn,
            ConsentProofs = [.. contact.ConsentProofs, .. other.ConsentProofs],
            SignUps = contact.SignUps + other.SignUpIds.Count,
            FirstSignedUpAt = other.FirstSignedUpAt < contact.FirstSignedUpAt ? other.FirstSignedUpAt : contact.FirstSignedUpAt,
            LastSignedUpAt = otherIsNewer ? other.LastSignedUpAt : contact.LastSignedUpAt,
            SignUpIds = [.. contact.SignUpIds, .. other.SignUpIds],
            AbsorbedContactIds = [.. contact.AbsorbedContactIds, other.ContactId, .. other.AbsorbedContactIds],
        };
    }

    /// <summary>
    /// The shopper withdrew one consent: it is no longer current (its proof stays in
    /// <see cref="ContactSummary.ConsentProofs"/>). The last withdrawal is the one kept.
    /// </summary>
    public static ContactSummary Apply(ConsentWithdrawn withdrawn, ContactSummary contact) => withdrawn.Channel == ConsentChannel.Email
        ? contact with { EmailConsent = null, EmailConsentWithdrawnAt = Latest(contact.EmailConsentWithdrawnAt, withdrawn.WithdrawnAt) }
        : contact with { SmsConsent = null, SmsConsentWithdrawnAt = Latest(contact.SmsConsentWithdrawnAt, withdrawn.WithdrawnAt) };

    public static ContactSummary Apply(ContactMergedInto merged, ContactSummary contact) =>
        contact with { MergedInto = merged.IntoContactId, MergedAt = merged.MergedAt };

    /// <summary>Nobody is left to contact, so no consent is current; the proofs (the store's words, times, places) stay.</summary>
    public static ContactSummary Apply(ShopperErased erased, ContactSummary contact) => contact with
    {
        Shopper = ShopperData.None,
        EmailConsent = null,
        SmsConsent = null,
        ErasedAt = erased.ErasedAt,
        ErasedBy = erased.ErasedBy,
    };

    private static Shopper Fill(Shopper latest, Shopper earlier) => new(
        latest.FirstName ?? earlier.FirstName,
        latest.LastName ?? earlier.LastName,
        latest.Email ?? earlier.Email,
        latest.Phone ?? earlier.Phone,
        latest.Birthday ?? earlier.Birthday,
        latest.PostalCode ?? earlier.PostalCode);

    /// <summary>
    /// By <see cref="ConsentProof.GivenAt"/>, the server's receipt time: the same order in which a
    /// contact's own sign-ups replace its consent, and one a tablet's clock cannot reorder.
    /// </summary>
    private static ConsentProof? Newest(ConsentProof? mine, ConsentProof? theirs) =>
        mine is null || (theirs is not null && theirs.GivenAt > mine.GivenAt) ? theirs : mine;

    /// <summary>A consent given before the shopper withdrew it is not current; one given again afterwards is.</summary>
    private static ConsentProof? GivenSince(ConsentProof? consent, DateTimeOffset? withdrawnAt) =>
        consent is not null && (withdrawnAt is null || consent.GivenAt > withdrawnAt) ? consent : null;

    private static DateTimeOffset? Latest(DateTimeOffset? one, DateTimeOffset? other) =>
        one is null || (other is not null && other > one) ? other : one;

    private static ConsentProof[] Proofs(ConsentProof? email, ConsentProof? sms) =>
        new[] { email, sms }.OfType<ConsentProof>().ToArray();
}

/// <summary>Finds a contact by one of its keys (<see cref="Domain.SignUps.ContactKey"/>): the email and phone index.</summary>
public sealed record ContactIndexEntry(string Id, Guid ContactId);

public static class ContactSummaries
{
    /// <summary>How many "merged into" steps are followed; merges only ever point at older contacts, so a chain ends long before.</summary>
    private const int MaxMergeChain = 20;

    /// <summary>The contact that holds the shopper of <paramref name="contactId"/> now: itself, or the contact it was merged into.</summary>
    public static async Task<ContactSummary?> LoadCurrentAsync(this IQuerySession session, Guid contactId, CancellationToken cancellationToken)
    {
        var contact = await session.LoadAsync<ContactSummary>(contactId, cancellationToken);
        for (var step = 0; contact?.MergedInto is { } survivor && step < MaxMergeChain; step++)
        {
            contact = await session.LoadAsync<ContactSummary>(survivor, cancellationToken);
        }

        return contact;
    }

    /// <summary>
    /// The latest sign-up of the contact that holds the shopper of <paramref name="contactId"/> now: a
    /// withdrawn consent is pushed through it, by the contact-linking subscription and by the search for
    /// what it passed over (ADR 34). Null when the contact is gone or has no sign-up.
    /// </summary>
    public static async Task<Guid?> LatestSignUpIdAsync(this IQuerySession session, Guid contactId, CancellationToken cancellationToken)
    {
        if (await session.LoadCurrentAsync(contactId, cancellationToken) is not { SignUpIds.Count: > 0 } contact)
        {
            return null;
        }

        var ids = contact.SignUpIds.ToArray();
        var latest = await session.Query<SignUps.ListSignUps.SignUpSummary>().Where(s => s.Id.IsOneOf(ids)).OrderByDescending(s => s.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        return latest?.Id;
    }
}
