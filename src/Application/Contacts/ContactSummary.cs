using CustomerInfo.Domain.SignUps;
using Marten.Events.Aggregation;

namespace CustomerInfo.Application.Contacts;

/// <summary>
/// A shopper as the store knows them now: the latest details they gave, their consent, and how
/// often they signed up. Their full history stays in the contact's event stream.
/// </summary>
public sealed record ContactSummary
{
    public Guid Id { get; init; }

    public Shopper Shopper { get; init; } = new(null, null, null, null, null, null);

    public ConsentProof? EmailConsent { get; init; }

    public ConsentProof? SmsConsent { get; init; }

    public int SignUps { get; init; }

    public DateTimeOffset FirstSignedUpAt { get; init; }

    public DateTimeOffset LastSignedUpAt { get; init; }

    public IReadOnlyList<Guid> SignUpIds { get; init; } = [];
}

public sealed partial class ContactSummaryProjection : SingleStreamProjection<ContactSummary, Guid>
{
    public static ContactSummary Create(ContactCreated created) => new()
    {
        Id = created.ContactId,
        Shopper = created.Shopper,
        EmailConsent = created.EmailConsent,
        SmsConsent = created.SmsConsent,
        SignUps = 1,
        FirstSignedUpAt = created.CreatedAt,
        LastSignedUpAt = created.CreatedAt,
        SignUpIds = [created.SignUpId],
    };

    /// <summary>What the shopper gave last wins; what they left empty this time is kept from before.</summary>
    public static ContactSummary Apply(ContactDetailsUpdated updated, ContactSummary contact) => contact with
    {
        Shopper = new Shopper(
            updated.Shopper.FirstName ?? contact.Shopper.FirstName,
            updated.Shopper.LastName ?? contact.Shopper.LastName,
            updated.Shopper.Email ?? contact.Shopper.Email,
            updated.Shopper.Phone ?? contact.Shopper.Phone,
            updated.Shopper.Birthday ?? contact.Shopper.Birthday,
            updated.Shopper.PostalCode ?? contact.Shopper.PostalCode),
        EmailConsent = updated.EmailConsent ?? contact.EmailConsent,
        SmsConsent = updated.SmsConsent ?? contact.SmsConsent,
        SignUps = contact.SignUps + 1,
        LastSignedUpAt = updated.UpdatedAt,
        SignUpIds = [.. contact.SignUpIds, updated.SignUpId],
    };
}

/// <summary>Finds a contact by one of its keys (<see cref="Domain.SignUps.ContactKey"/>): the email and phone index.</summary>
public sealed record ContactIndexEntry(string Id, Guid ContactId);
