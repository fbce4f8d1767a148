using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Contacts;

/// <summary>
/// The contact-linking subscription links a page's sign-ups of one store together: one read of
/// their streams and index keys, one commit. Each must end exactly as if linked alone, in order.
/// </summary>
public class LinkSignUpsToContactsTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string AnnPhone = "+31612345678";

    private readonly Dictionary<string, Guid> stores = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        foreach (var store in new[] { "alone", "together" })
        {
            stores[store] = await app.AddStoreAsync(store, store + " store");
            await app.SendAsync(store, new PublishFormDefinitionCommand(FormDefinition.StarterFor(store) with
            {
                Fields =
                [
                    new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.LastName, FieldRequirement.Optional),
                    new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional),
                ],
            }));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<List<Guid>> SubmitAsync(string store, IEnumerable<SubmitSignUpCommand> signUps)
    {
        var ids = new List<Guid>();
        foreach (var signUp in signUps)
        {
            ids.Add((await app.SendAsync(store, signUp)).SignUpId);
        }

        return ids;
    }

    private IQuerySession Session(string store) => app.Services.GetRequiredService<IDocumentStore>().QuerySession(stores[store].ToString());

    /// <summary>
    /// What the store holds, with every id replaced by its place among the sign-ups or contacts, so
    /// two stores given the same sign-ups can be compared: each sign-up's events and contact, each
    /// contact's events, summary and keys.
    /// </summary>
    private async Task<List<string>> ShapeAsync(string store, List<Guid> signUpIds, IEnumerable<LinkSignUpToContactResult> links)
    {
        await using var session = Session(store);
        var contacts = new List<Guid>();
        string Name(Guid? contactId)
        {
            if (contactId is not { } id)
            {
                return "none";
            }

            if (!contacts.Contains(id))
            {
                contacts.Add(id);
            }

            return "contact" + contacts.IndexOf(id);
        }

        var shape = new List<string>();
        foreach (var (signUpId, link) in signUpIds.Zip(links))
        {
            var events = (await session.Events.FetchStreamAsync(signUpId)).Select(e => e.Data switch
            {
                SignUpLinkedToContact linked => $"linked to {Name(linked.ContactId)} new={linked.NewContact}",
                SignUpRelinkedToContact relinked => $"relinked from {Name(relinked.PreviousContactId)} to {Name(relinked.ContactId)}",
                var other => other.GetType().Name,
            });
            shape.Add($"sign-up {signUpIds.IndexOf(signUpId)}: {Name(link.ContactId)} new={link.NewContact} already={link.AlreadyLinked} merged=[{string.Join(",", link.MergedContactIds.Select(id => Name(id)))}]; {string.Join(", ", events)}");
        }

        var index = await session.Query<ContactIndexEntry>().ToListAsync();
        for (var i = 0; i < contacts.Count; i++)
        {
            var contact = (await session.LoadAsync<ContactSummary>(contacts[i])).ShouldNotBeNull();
            var events = (await session.Events.FetchStreamAsync(contacts[i])).Select(e => e.Data.GetType().Name);
            shape.Add($"contact{i}: {string.Join(", ", events)}; shopper {contact.Shopper.FirstName} {contact.Shopper.LastName} {contact.Shopper.Email} {contact.Shopper.Phone}; " +
                $"sign-ups {string.Join(",", contact.SignUpIds.Select(id => signUpIds.IndexOf(id)).Order())}; merged into {Name(contact.MergedInto)}; " +
                $"absorbed {string.Join(",", contact.AbsorbedContactIds.Select(id => Name(id)).Order())}; keys {index.Count(e => e.ContactId == contacts[i])}; " +
                $"consents {contact.EmailConsent?.Channel} {contact.SmsConsent?.Channel} {contact.ConsentProofs.Count}");
        }

        shape.Add($"index entries {index.Count}");
        return shape;
    }

    [Fact]
    public async Task Two_sign_ups_of_one_shopper_linked_together_make_one_contact()
    {
        var ids = await SubmitAsync("together", [SignUp("ann@example.com"), SignUp(" Ann@Example.com ", AnnPhone, lastName: "Jansen")]);

        var links = await app.SendAsync("together", new LinkSignUpsToContactsCommand(ids));

        links[0].NewContact.ShouldBeTrue();
        links[1].NewContact.ShouldBeFalse();
        links[1].ContactId.ShouldBe(links[0].ContactId);
        links.ShouldAllBe(l => !l.AlreadyLinked && l.MergedContactIds.Count == 0);
        await using var session = Session("together");
        var contact = (await session.LoadAsync<ContactSummary>(links[0].ContactId!.Value)).ShouldNotBeNull();
        contact.SignUpIds.ShouldBe(ids, ignoreOrder: true);
        contact.Shopper.LastName.ShouldBe("Jansen");
        contact.Shopper.Phone.ShouldBe(AnnPhone);
        (await session.Events.FetchStreamAsync(contact.Id)).Select(e => e.Data.GetType().Name).ShouldBe([nameof(ContactCreated), nameof(ContactDetailsUpdated)]);
        (await session.Query<ContactIndexEntry>().ToListAsync()).Select(e => e.ContactId).ShouldBe([contact.Id, contact.Id]);
    }

    [Fact]
    public async Task Sign_ups_linked_together_end_as_they_would_linked_one_by_one()
    {
        // Three shoppers, new and known ones, two merges (one of a contact made in the same batch), and a sign-up after each merge.
        // Each store gets commands of its own (each with its own submission id).
        static SubmitSignUpCommand[] Scenario() =>
        [
            SignUp("ann@example.com", null, lastName: "Older", emailConsent: true),
            SignUp("bob@example.com", null, firstName: "Bob"),
            SignUp(null, "06 12345678", firstName: "Annie", lastName: "Newer", smsConsent: true),
            SignUp("ann@example.com", null),
            SignUp(" Ann@Example.com", "+31 6 1234 5678", firstName: "Anna"),
            SignUp(null, AnnPhone, smsConsent: true),
            SignUp("carol@example.com", "+31687654321", firstName: "Carol"),
            SignUp(null, "+31687654321", firstName: "Carol", smsConsent: true),
            SignUp("bob@example.com", "+31611111111", firstName: "Bob"),
            SignUp(null, "+31611111111", firstName: "Bobby"),
            SignUp("bob@work.example", null, firstName: "Bob"),
            SignUp("bob@work.example", "+31611111111", firstName: "Bob"),
            SignUp("bob@example.com", null, firstName: "Robert"),
        ];
        var before = await SubmitAsync("alone", Scenario()[..2]);
        var beforeTogether = await SubmitAsync("together", Scenario()[..2]);
        foreach (var id in before)
        {
            await app.SendAsync("alone", new LinkSignUpToContactCommand(id));
        }

        await app.SendAsync("together", new LinkSignUpsToContactsCommand(beforeTogether));

        var alone = await SubmitAsync("alone", Scenario()[2..]);
        var together = await SubmitAsync("together", Scenario()[2..]);
        var aloneLinks = new List<LinkSignUpToContactResult>();
        foreach (var id in alone)
        {
            aloneLinks.Add(await app.SendAsync("alone", new LinkSignUpToContactCommand(id)));
        }

        var togetherLinks = await app.SendAsync("together", new LinkSignUpsToContactsCommand(together));

        aloneLinks.Count(l => l.MergedContactIds.Count > 0).ShouldBe(2); // the scenario has its merges
        var expected = await ShapeAsync("alone", [.. before, .. alone], [.. await RelinkedAsync("alone", before), .. aloneLinks]);
        var actual = await ShapeAsync("together", [.. beforeTogether, .. together], [.. await RelinkedAsync("together", beforeTogether), .. togetherLinks]);
        actual.ShouldBe(expected);
    }

    private async Task<IReadOnlyList<LinkSignUpToContactResult>> RelinkedAsync(string store, List<Guid> ids) =>
        await app.SendAsync(store, new LinkSignUpsToContactsCommand(ids));

    [Fact]
    public async Task Linking_a_batch_again_changes_nothing()
    {
        var ids = await SubmitAsync("together", [SignUp("ann@example.com"), SignUp(null, AnnPhone), SignUp("ann@example.com", AnnPhone), SignUp("bob@example.com")]);
        var first = await app.SendAsync("together", new LinkSignUpsToContactsCommand(ids));
        await using var session = Session("together");
        var events = await session.Events.QueryAllRawEvents().LongCountAsync();

        // What a replayed page does.
        var again = await app.SendAsync("together", new LinkSignUpsToContactsCommand(ids));

        again.ShouldAllBe(l => l.AlreadyLinked && l.MergedContactIds.Count == 0);
        again.Select(l => l.ContactId).ShouldBe([first[2].ContactId, first[2].ContactId, first[2].ContactId, first[3].ContactId]);
        (await session.Events.QueryAllRawEvents().LongCountAsync()).ShouldBe(events);
    }

    [Fact]
    public async Task A_batch_answers_for_every_id_in_its_order_and_leaves_unknown_and_erased_sign_ups_alone()
    {
        var (_, erased) = await app.SignUpAndLinkAsync("together", SignUp("erased@example.com"));
        var ids = await SubmitAsync("together", [SignUp("erased@example.com"), SignUp("ann@example.com")]);
        await app.SendAsync("together", new EraseShopperCommand(erased.ContactId!.Value, "platform-owner"));
        var unknown = Guid.NewGuid();

        var links = await app.SendAsync("together", new LinkSignUpsToContactsCommand([unknown, ids[0], ids[1], ids[1]]));

        links.Count.ShouldBe(4);
        links[0].ContactId.ShouldBeNull();
        links[1].ContactId.ShouldBeNull();
        links[2].NewContact.ShouldBeTrue();
        links[3].ShouldBe(links[2]);
        await using var session = Session("together");
        (await session.Query<ContactSummary>().CountAsync()).ShouldBe(2); // the erased one and Ann's
    }
}
