using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.LinkSignUpToContact;

/// <summary>
/// Makes a received sign-up part of its shopper's contact: the same normalised email or phone in
/// the same store is the same contact, whose stream gets an event for this sign-up. When the
/// sign-up's email points at one contact and its phone at another, they are one shopper: the
/// contacts are merged (see <see cref="ContactAbsorbed"/>). Runs after the sign-up is stored (from
/// the event log), so the shopper never waits for it. Safe to repeat: a sign-up already linked is
/// left as it is.
/// </summary>
[SystemMaySend]
public sealed record LinkSignUpToContactCommand(Guid SignUpId) : ICommand<LinkSignUpToContactResult>;

public sealed record LinkSignUpToContactResult(Guid? ContactId, bool NewContact, bool AlreadyLinked)
{
    /// <summary>The contacts this sign-up merged into <see cref="ContactId"/> (empty when it merged none).</summary>
    public IReadOnlyList<Guid> MergedContactIds { get; init; } = [];
}

public sealed class LinkSignUpToContactHandler(IDocumentSession session, ContactIndexKeys indexKeys, IClock clock)
    : ICommandHandler<LinkSignUpToContactCommand, LinkSignUpToContactResult>
{
    public async ValueTask<LinkSignUpToContactResult> Handle(LinkSignUpToContactCommand command, CancellationToken cancellationToken)
    {
        var history = (await session.Events.FetchStreamAsync(command.SignUpId, token: cancellationToken)).Select(e => e.Data).ToList();
        if (history.OfType<SignUpLinkedToContact>().FirstOrDefault() is { } linked)
        {
            // A merge since may have moved the sign-up on: its latest contact is where it is now.
            var current = history.OfType<SignUpRelinkedToContact>().LastOrDefault()?.ContactId ?? linked.ContactId;
            return new LinkSignUpToContactResult(current, linked.NewContact, AlreadyLinked: true);
        }

        // An erased shopper's sign-up holds nothing to link by, and must not bring a contact back.
        if (history.OfType<SignUpSubmitted>().FirstOrDefault() is not { } submitted || history.OfType<SignUpErased>().Any())
        {
            return new LinkSignUpToContactResult(null, false, AlreadyLinked: false);
        }

        var keys = indexKeys.For(Guid.Parse(session.TenantId), submitted.Shopper);
        var known = (await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, keys)).ToDictionary(e => e.Id, e => e.ContactId);
        var matches = keys.Where(known.ContainsKey).Select(k => known[k]).Distinct().ToList();
        var now = clock.UtcNow;

        Guid contactId;
        IReadOnlyList<Guid> merged = [];
        if (matches.Count == 0)
        {
            contactId = Guid.CreateVersion7();
            session.Events.StartStream(contactId, new ContactCreated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }
        else
        {
            contactId = matches[0];
            if (matches.Count > 1)
            {
                (contactId, merged) = await MergeAsync(matches, submitted.SignUpId, now, cancellationToken);
            }

            session.Events.Append(contactId, new ContactDetailsUpdated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }

        session.Events.Append(submitted.SignUpId, new SignUpLinkedToContact(submitted.SignUpId, contactId, matches.Count == 0, now));
        foreach (var key in keys.Where(k => !known.ContainsKey(k)))
        {
            session.Insert(new ContactIndexEntry(key, contactId));
        }

        await session.SaveChangesAsync(cancellationToken);
        return new LinkSignUpToContactResult(contactId, matches.Count == 0, AlreadyLinked: false) { MergedContactIds = merged };
    }

    /// <summary>
    /// The sign-up's keys point at several contacts, so they are one shopper: the contact that
    /// existed first survives (earliest first sign-up, then lowest id, so the choice never depends on
    /// which key matched) and absorbs the others. Nothing is deleted: each absorbed contact's stream
    /// says where it went, the survivor's says what it took in, every key of the absorbed contacts
    /// points at the survivor, and their sign-ups are relinked to it.
    /// </summary>
    private async Task<(Guid Survivor, IReadOnlyList<Guid> Absorbed)> MergeAsync(IReadOnlyList<Guid> contactIds, Guid signUpId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contacts = (await session.LoadManyAsync<ContactSummary>(cancellationToken, contactIds))
            .OrderBy(c => c.FirstSignedUpAt).ThenBy(c => c.Id).ToList();
        var survivor = contacts[0];

        foreach (var absorbed in contacts.Skip(1))
        {
            var repointed = await session.Query<ContactIndexEntry>().Where(e => e.ContactId == absorbed.Id).Select(e => e.Id).ToListAsync(cancellationToken);
            var keys = repointed.Order(StringComparer.Ordinal).ToList();

            session.Events.Append(survivor.Id, new ContactAbsorbed(survivor.Id, absorbed.AsAbsorbed(), signUpId, keys, now));
            session.Events.Append(absorbed.Id, new ContactMergedInto(absorbed.Id, survivor.Id, null, signUpId, keys, now));
            foreach (var earlier in absorbed.AbsorbedContactIds)
            {
                session.Events.Append(earlier, new ContactMergedInto(earlier, survivor.Id, absorbed.Id, signUpId, [], now));
            }

            foreach (var key in keys)
            {
                session.Store(new ContactIndexEntry(key, survivor.Id));
            }

            foreach (var signUp in absorbed.SignUpIds)
            {
                session.Events.Append(signUp, new SignUpRelinkedToContact(signUp, survivor.Id, absorbed.Id, now));
            }
        }

        return (survivor.Id, contacts.Skip(1).Select(c => c.Id).ToList());
    }
}
