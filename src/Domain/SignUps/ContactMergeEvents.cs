namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// On the surviving contact's stream: a sign-up showed that another contact is the same shopper
/// (its email pointed at one contact, its phone at another), so that contact now lives on in this
/// one. <see cref="Absorbed"/> is what the absorbed contact was at that moment, so this stream alone
/// rebuilds the merged contact; <see cref="RepointedKeys"/> are the contact keys that pointed at the
/// absorbed contact and point here now. Together with <see cref="ContactMergedInto"/> on the other
/// stream, it holds everything needed to undo the merge.
/// </summary>
public sealed record ContactAbsorbed(
    Guid ContactId,
    AbsorbedContact Absorbed,
    Guid CausedBySignUpId,
    IReadOnlyList<string> RepointedKeys,
    DateTimeOffset MergedAt);

/// <summary>
/// On an absorbed contact's stream: from now on this shopper is <see cref="IntoContactId"/>. When
/// <see cref="Via"/> is set, this contact had been absorbed by <see cref="Via"/> before, and moved
/// on with it (its own keys were repointed then, so <see cref="RepointedKeys"/> is empty).
/// </summary>
public sealed record ContactMergedInto(
    Guid ContactId,
    Guid IntoContactId,
    Guid? Via,
    Guid CausedBySignUpId,
    IReadOnlyList<string> RepointedKeys,
    DateTimeOffset MergedAt);

/// <summary>
/// On a sign-up's stream: the contact it was linked to was merged, so it belongs to
/// <see cref="ContactId"/> now (it was <see cref="PreviousContactId"/>'s).
/// </summary>
public sealed record SignUpRelinkedToContact(Guid SignUpId, Guid ContactId, Guid PreviousContactId, DateTimeOffset RelinkedAt);

/// <summary>
/// An absorbed contact as it was when it was merged: its latest details, consent and sign-ups, and
/// when the shopper last withdrew each consent (last and optional, so stored events still read).
/// </summary>
public sealed record AbsorbedContact(
    Guid ContactId,
    Shopper Shopper,
    ConsentProof? EmailConsent,
    ConsentProof? SmsConsent,
    IReadOnlyList<ConsentProof> ConsentProofs,
    IReadOnlyList<Guid> SignUpIds,
    IReadOnlyList<Guid> AbsorbedContactIds,
    DateTimeOffset FirstSignedUpAt,
    DateTimeOffset LastSignedUpAt,
    DateTimeOffset? EmailConsentWithdrawnAt = null,
    DateTimeOffset? SmsConsentWithdrawnAt = null);
