using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.GetContactDetail;

/// <summary>
/// A contact's page: its details and consents, its sign-ups (newest first, with their store), and
/// the contacts merged into it. Null when the store has no such contact. A contact merged into
/// another comes back with only <see cref="ContactDetail.MergedInto"/> that says where it lives on.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetContactDetailQuery(Guid ContactId) : IQuery<ContactDetail?>;

/// <param name="TimeZone">The tenant's time zone (IANA id): the times on the page are shown in it.</param>
public sealed record ContactDetail(ContactSummary Contact, IReadOnlyList<ContactSignUp> SignUps, IReadOnlyList<MergedContact> MergedFrom, string TimeZone)
{
    public Guid? MergedInto => Contact.MergedInto;
}

/// <param name="Store">The store's name, the free-text location of a sign-up from before stores, or null.</param>
public sealed record ContactSignUp(Guid Id, DateTimeOffset ReceivedAt, string? Store, string Language, bool EmailConsent, bool SmsConsent);

/// <summary>A contact found to be this shopper and merged in: what it was then, and when.</summary>
public sealed record MergedContact(Guid Id, Shopper Shopper, int SignUps, DateTimeOffset? MergedAt);

public sealed class GetContactDetailHandler(IQuerySession session) : IQueryHandler<GetContactDetailQuery, ContactDetail?>
{
    public async ValueTask<ContactDetail?> Handle(GetContactDetailQuery query, CancellationToken cancellationToken)
    {
        var contact = await session.LoadAsync<ContactSummary>(query.ContactId, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var timeZone = TenantTimeZone.Of(stores);
        if (contact.MergedInto is not null)
        {
            return new ContactDetail(contact, [], [], timeZone);
        }

        var names = stores.ToDictionary(s => s.Id, s => s.Name);
        var signUps = await session.LoadManyAsync<SignUpSummary>(cancellationToken, contact.SignUpIds.Distinct());
        var absorbed = await session.LoadManyAsync<ContactSummary>(cancellationToken, contact.AbsorbedContactIds.Distinct());
        return new ContactDetail(
            contact,
            signUps.OrderByDescending(s => s.ReceivedAt)
                .Select(s => new ContactSignUp(s.Id, s.ReceivedAt, s.StoreId is { } id && names.TryGetValue(id, out var name) ? name : s.Location, s.Language, s.EmailConsent, s.SmsConsent))
                .ToList(),
            absorbed.OrderByDescending(c => c.MergedAt)
                .Select(c => new MergedContact(c.Id, c.Shopper, c.SignUpIds.Count, c.MergedAt))
                .ToList(),
            timeZone);
    }
}
