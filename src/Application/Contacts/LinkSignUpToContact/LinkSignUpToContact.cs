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

/// <summary>
/// Links several sign-ups of one store, in order, in as few units of work as their merges allow;
/// each gets the outcome it would have had linked alone after the ones before it (one result per
/// id, in the same order). The contact-linking subscription sends one per tenant per page.
/// </summary>
[SystemMaySend]
public sealed record LinkSignUpsToContactsCommand(IReadOnlyList<Guid> SignUpIds) : ICommand<IReadOnlyList<LinkSignUpToContactResult>>;

public sealed class LinkSignUpsToContactsHandler(IDocumentSession session, ContactIndexKeys indexKeys, IClock clock)
    : ICommandHandler<LinkSignUpsToContactsCommand, IReadOnlyList<LinkSignUpToContactResult>>
{
    public async ValueTask<IReadOnlyList<LinkSignUpToContactResult>> Handle(LinkSignUpsToContactsCommand command, CancellationToken cancellationToken) =>
        await new ContactLinking(session, indexKeys, clock).LinkAsync(command.SignUpIds, cancellationToken);
}

public sealed class LinkSignUpToContactHandler(IDocumentSession session, ContactIndexKeys indexKeys, IClock clock)
    : ICommandHandler<LinkSignUpToContactCommand, LinkSignUpToContactResult>
{
    public async ValueTask<LinkSignUpToContactResult> Handle(LinkSignUpToContactCommand command, CancellationToken cancellationToken) =>
        (await new ContactLinking(session, indexKeys, clock).LinkAsync([command.SignUpId], cancellationToken))[0];
}

/// <summary>
/// The link of one or more sign-ups of one store, in their order, with the outcome of each as if
/// each had been linked alone after the ones before it. Sign-ups that find no contact or one are
/// linked together and committed as one unit of work: their index keys are read in one query, and
/// a key one of them adds is seen by the ones after it, so two sign-ups of the same shopper end in
/// one contact. A sign-up whose keys point at several contacts first commits the links before it,
/// then merges and links alone (as <see cref="LinkSignUpToContactCommand"/> always has), and the keys
/// are read again for the rest. Safe to repeat: sign-ups already linked are left as they are.
/// </summary>
internal sealed class ContactLinking(IDocumentSession session, ContactIndexKeys indexKeys, IClock clock)
{
    public async Task<IReadOnlyList<LinkSignUpToContactResult>> LinkAsync(IReadOnlyList<Guid> signUpIds, CancellationToken cancellationToken)
    {
        var histories = await HistoriesAsync(signUpIds.Distinct().ToList(), cancellationToken);
        var results = new Dictionary<Guid, LinkSignUpToContactResult>();
        var tenantId = Guid.Parse(session.TenantId);
        var toLink = new List<(SignUpSubmitted SignUp, IReadOnlyList<string> Keys)>();
        foreach (var (signUpId, history) in histories)
        {
            if (history.OfType<SignUpLinkedToContact>().FirstOrDefault() is { } linked)
            {
                // A merge since may have moved the sign-up on: its latest contact is where it is now.
                var current = history.OfType<SignUpRelinkedToContact>().LastOrDefault()?.ContactId ?? linked.ContactId;
                results[signUpId] = new LinkSignUpToContactResult(current, linked.NewContact, AlreadyLinked: true);
            }
            else if (history.OfType<SignUpSubmitted>().FirstOrDefault() is not { } submitted || history.OfType<SignUpErased>().Any())
            {
                // An erased shopper's sign-up holds nothing to link by, and must not bring a contact back.
                results[signUpId] = new LinkSignUpToContactResult(null, false, AlreadyLinked: false);
            }
            else
            {
                toLink.Add((submitted, indexKeys.For(tenantId, submitted.Shopper)));
            }
        }

        var known = await KnownAsync(toLink.SelectMany(s => s.Keys), cancellationToken);
        var unsaved = false;
        for (var i = 0; i < toLink.Count; i++)
        {
            var (submitted, keys) = toLink[i];
            var matches = keys.Where(known.ContainsKey).Select(k => known[k]).Distinct().ToList();
            if (matches.Count > 1)
            {
                if (unsaved)
                {
                    await session.SaveChangesAsync(cancellationToken);
                    unsaved = false;
                }

                results[submitted.SignUpId] = await LinkAndMergeAsync(submitted, keys, matches, known, cancellationToken);
                await session.SaveChangesAsync(cancellationToken);

                // The merge repointed keys: the rest read them as they are now.
                known = await KnownAsync(toLink.Skip(i + 1).SelectMany(s => s.Keys), cancellationToken);
                continue;
            }

            results[submitted.SignUpId] = Link(submitted, keys, matches, known);
            unsaved = true;
        }

        if (unsaved)
        {
            await session.SaveChangesAsync(cancellationToken);
        }

        return signUpIds.Select(id => results[id]).ToList();
    }

    /// <summary>Each sign-up's events, read in one round trip (a sign-up with no stream has none).</summary>
    private async Task<List<(Guid SignUpId, List<object> History)>> HistoriesAsync(IReadOnlyList<Guid> signUpIds, CancellationToken cancellationToken)
    {
        var batch = session.CreateBatchQuery();
        var streams = signUpIds.Select(id => (Id: id, Events: batch.Events.FetchStream(id))).ToList();
        await batch.Execute(cancellationToken);
        var histories = new List<(Guid, List<object>)>();
        foreach (var (id, events) in streams)
        {
            histories.Add((id, (await events).Select(e => e.Data).ToList()));
        }

        return histories;
    }

    private async Task<Dictionary<string, Guid>> KnownAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length == 0
            ? new Dictionary<string, Guid>(StringComparer.Ordinal)
            : (await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, distinct)).ToDictionary(e => e.Id, e => e.ContactId, StringComparer.Ordinal);
    }

    /// <summary>No contact or one: a new contact, or the sign-up's details added to the one. <paramref name="known"/> learns the keys it adds.</summary>
    private LinkSignUpToContactResult Link(SignUpSubmitted submitted, IReadOnlyList<string> keys, List<Guid> matches, Dictionary<string, Guid> known)
    {
        var now = clock.UtcNow;
        Guid contactId;
        if (matches.Count == 0)
        {
            contactId = Guid.CreateVersion7();
            session.Events.StartStream(contactId, new ContactCreated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }
        else
        {
            contactId = matches[0];
            session.Events.Append(contactId, new ContactDetailsUpdated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        }

        session.Events.Append(submitted.SignUpId, new SignUpLinkedToContact(submitted.SignUpId, contactId, matches.Count == 0, now));
        foreach (var key in keys.Where(k => !known.ContainsKey(k)))
        {
            session.Insert(new ContactIndexEntry(key, contactId));
            known[key] = contactId;
        }

        return new LinkSignUpToContactResult(contactId, matches.Count == 0, AlreadyLinked: false);
    }

    /// <summary>Several contacts: merged into one (committed state only: the links before it are saved), then the sign-up linked to it.</summary>
    private async Task<LinkSignUpToContactResult> LinkAndMergeAsync(SignUpSubmitted submitted, IReadOnlyList<string> keys, List<Guid> matches, Dictionary<string, Guid> known, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var (contactId, merged) = await MergeAsync(matches, submitted.SignUpId, now, cancellationToken);
        session.Events.Append(contactId, new ContactDetailsUpdated(contactId, submitted.SignUpId, submitted.Shopper, submitted.EmailConsent, submitted.SmsConsent, now));
        session.Events.Append(submitted.SignUpId, new SignUpLinkedToContact(submitted.SignUpId, contactId, false, now));
        foreach (var key in keys.Where(k => !known.ContainsKey(k)))
        {
            session.Insert(new ContactIndexEntry(key, contactId));
        }

        return new LinkSignUpToContactResult(contactId, false, AlreadyLinked: false) { MergedContactIds = merged };
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
