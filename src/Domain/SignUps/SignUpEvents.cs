namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// A shopper filled in the form. The stream is keyed by the form's submission id, so a repeated
/// submission cannot start it twice. <see cref="FilledAt"/> is when the shopper tapped "Sign up"
/// (earlier than <see cref="ReceivedAt"/> when the tablet was offline). <see cref="Location"/> is the
/// free-text location key of sign-ups made before stores existed; <see cref="StoreId"/> and
/// <see cref="KioskLinkId"/> name the store and the kiosk link of the tablet (null: the store's bare
/// address, no link). <see cref="Source"/> says where the sign-up came from: the kiosk, or a
/// retailer's imported customer list (<see cref="ImportId"/> names the import); imported sign-ups
/// are never counted (or billed) as kiosk sign-ups. <see cref="PushToCrm"/> is false for the rows of an
/// import whose Manager did not tick "also send these to my CRM". Last and optional, so stored events still read.
/// </summary>
public sealed record SignUpSubmitted(
    Guid SignUpId,
    int FormVersion,
    string Language,
    string? Location,
    DateTimeOffset FilledAt,
    DateTimeOffset ReceivedAt,
    Shopper Shopper,
    IReadOnlyList<QuestionAnswer> Answers,
    ConsentProof? EmailConsent,
    ConsentProof? SmsConsent,
    Guid? StoreId = null,
    Guid? KioskLinkId = null,
    SignUpSource Source = SignUpSource.Kiosk,
    Guid? ImportId = null,
    bool PushToCrm = true);

/// <summary>Where a sign-up came from. Events stored before imports existed read as <see cref="Kiosk"/>.</summary>
public enum SignUpSource
{
    /// <summary>A shopper filled in the form on a kiosk (or the store's bare address).</summary>
    Kiosk,

    /// <summary>A row of a customer list the retailer imported (CSV).</summary>
    Import,
}

/// <summary>
/// A sign-up made before stores existed, under a form location that became this store (the
/// migration of <c>FormDefinition.Locations</c>).
/// </summary>
public sealed record SignUpAttributedToStore(Guid SignUpId, Guid StoreId, DateTimeOffset AttributedAt);

/// <summary>A sign-up was found to be the same shopper as an existing contact (same email or phone).</summary>
public sealed record SignUpLinkedToContact(Guid SignUpId, Guid ContactId, bool NewContact, DateTimeOffset LinkedAt);

/// <summary>A contact's first sign-up: the contact stream begins.</summary>
public sealed record ContactCreated(Guid ContactId, Guid SignUpId, Shopper Shopper, ConsentProof? EmailConsent, ConsentProof? SmsConsent, DateTimeOffset CreatedAt);

/// <summary>A returning shopper signed up again; what they gave now is the contact's latest.</summary>
public sealed record ContactDetailsUpdated(Guid ContactId, Guid SignUpId, Shopper Shopper, ConsentProof? EmailConsent, ConsentProof? SmsConsent, DateTimeOffset UpdatedAt);

public sealed record Shopper(string? FirstName, string? LastName, string? Email, string? Phone, Birthday? Birthday, string? PostalCode);

public sealed record Birthday(int Day, int Month, int? Year);

public sealed record QuestionAnswer(string QuestionKey, IReadOnlyList<string> Values);

/// <summary>
/// Proof of consent: the exact words shown, their version, when, where and in which language.
/// <see cref="GivenAt"/> is the time of record, the server's receipt of the sign-up (proofs stored
/// before issue 8 carry the tablet's time there). <see cref="DeviceFilledAt"/> is when the tablet
/// says the shopper tapped "Sign up", a claim only; last and optional, so stored proofs still read.
/// </summary>
public sealed record ConsentProof(
    ConsentChannel Channel,
    string Text,
    string TextVersion,
    string Language,
    DateTimeOffset GivenAt,
    string? Location,
    DateTimeOffset? DeviceFilledAt = null);

public enum ConsentChannel
{
    Email,
    Sms,
}

/// <summary>The retailer published a new version of the form; earlier versions stay readable.</summary>
public sealed record FormDefinitionPublished(int Version, DateTimeOffset PublishedAt);

/// <summary>
/// On a contact's stream: the shopper told the store to stop contacting them on <see cref="Channel"/>.
/// Ids only, so nothing here needs erasing; who recorded it is in the event headers. A later sign-up
/// that gives the consent again makes it current again.
/// </summary>
public sealed record ConsentWithdrawn(Guid ContactId, ConsentChannel Channel, DateTimeOffset WithdrawnAt);
