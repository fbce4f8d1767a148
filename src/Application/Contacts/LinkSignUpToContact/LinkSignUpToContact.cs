using CustomerInfo.Application.Common;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.LinkSignUpToContact;

/// <summary>
/// Makes a received sign-up part of its shopper's contact: the same normalised email (or, without
/// one, phone) in the same store is the same contact, whose stream gets an event for this sign-up.
/// Runs after the sign-up is stored (from the event log), so the shopper never waits for it.
/// Safe to repeat: a sign-up already linked is left as it is.
/// </summary>
public sealed record LinkSignUpToContactCommand(Guid SignUpId) : ICommand<LinkSignUpToContactResult>;

public sealed record LinkSignUpToContactResult(Guid? ContactId, bool NewContact, bool AlreadyLinked);

public sealed class LinkSignUpToContactHandler(IDocumentSession session, IClock clock)
    : ICommandHandler<LinkSignUpToContactCommand, LinkSignUpToContactResult>
{
    public async ValueTask<LinkSignUpToContactResult> Handle(LinkSignUpToContactCommand command, CancellationToken cancellationToken)
    {
        var history = await session.Events.FetchStreamAsync(command.SignUpId, token: cancellationToken);
        if (history.Select(e => e.Data).OfType<SignUpLinkedToContact>().FirstOrDefault() is { } linked)
        {
            return new LinkSignUpToContactResult(linked.ContactId, linked.NewContact, AlreadyLinked: true);
        }

        if (history.Select(e => e.Data).OfType<SignUpSubmitted>().FirstOrDefault() is not { } submitted)
        {
            return new LinkSignUpToContactResult(null, false, AlreadyLinked: false);
        }

        var keys = ContactKey.For(submitted.Shopper);
        var known = (await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, keys)).ToDictionary(e => e.Id, e => e.ContactId);

        // Keys are in order of trust: an email match wins over a phone match.
        var existing = keys.Where(known.ContainsKey).Select(k => (Guid?)known[k]).FirstOrDefault();
        var contactId = existing ?? Guid.CreateVersion7();
        var now = clock.UtcNow;

        if (existing is null)
        {
            session.Events.StartStream(contactId, new ContactCreated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }
        else
        {
            session.Events.Append(contactId, new ContactDetailsUpdated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }

        session.Events.Append(submitted.SignUpId, new SignUpLinkedToContact(submitted.SignUpId, contactId, existing is null, now));

        // A key already pointing at another contact keeps pointing there: contacts are never merged silently.
        foreach (var key in keys.Where(k => !known.ContainsKey(k)))
        {
            session.Insert(new ContactIndexEntry(key, contactId));
        }

        await session.SaveChangesAsync(cancellationToken);
        return new LinkSignUpToContactResult(contactId, existing is null, AlreadyLinked: false);
    }
}
