using System.Text.Json;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Contacts;

/// <summary>
/// A sign-up whose email points at one contact and whose phone points at another shows they are
/// one shopper: the contacts become one, and nothing of either is lost.
/// </summary>
public class ContactMergeTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string AnnPhone = "+31612345678";

    private readonly Dictionary<string, Guid> stores = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        foreach (var store in new[] { "demo", "other" })
        {
            stores[store] = await app.AddStoreAsync(store, store + " store");

            // Email and phone both optional, so a shopper can be known by their phone alone.
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

    private async Task<ContactSummary> Contact(string store, Guid? contactId) =>
        (await app.SendAsync(store, new GetContactQuery(contactId.ShouldNotBeNull()))).ShouldNotBeNull();

    private async Task<string[]> EventsOf(string store, Guid streamId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(stores[store].ToString());
        return (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data.GetType().Name).ToArray();
    }

    private async Task<Dictionary<string, Guid>> IndexOf(string store)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(stores[store].ToString());
        return (await session.Query<ContactIndexEntry>().ToListAsync()).ToDictionary(e => e.Id, e => e.ContactId);
    }

    /// <summary>The index id of a contact key in a store: a keyed hash, never the address itself (ADR 10).</summary>
    private string Key(string store, string contactKey) => app.Services.GetRequiredService<ContactIndexKeys>().IdOf(stores[store], contactKey);

    private async Task<long> EventCount(string store)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(stores[store].ToString());
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    [Fact]
    public async Task An_email_of_one_contact_and_a_phone_of_another_make_them_one_contact()
    {
        var (byEmail, a) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, lastName: "Older", emailConsent: true));
        var (byPhone, b) = await app.SignUpAndLinkAsync("demo", SignUp(null, "06 12345678", firstName: "Annie", lastName: "Newer", smsConsent: true));
        b.ContactId.ShouldNotBe(a.ContactId);

        var (both, merge) = await app.SignUpAndLinkAsync("demo", SignUp(" Ann@Example.com", "+31 6 1234 5678", firstName: "Anna"));

        // The oldest contact survives and absorbs the other.
        merge.ContactId.ShouldBe(a.ContactId);
        merge.NewContact.ShouldBeFalse();
        merge.MergedContactIds.ShouldBe([b.ContactId!.Value]);

        var survivor = await Contact("demo", a.ContactId);
        survivor.MergedInto.ShouldBeNull();
        survivor.SignUps.ShouldBe(3);
        survivor.SignUpIds.ShouldBe([byEmail, byPhone, both], ignoreOrder: true);
        survivor.AbsorbedContactIds.ShouldBe([b.ContactId.Value]);
        survivor.Shopper.FirstName.ShouldBe("Anna");
        survivor.Shopper.LastName.ShouldBe("Newer"); // the merging sign-up left it empty; the contact that signed up last had it
        survivor.Shopper.Phone.ShouldBe(AnnPhone);

        // Consent: the email consent came with one contact, the SMS consent with the other; both proofs stay.
        survivor.EmailConsent.ShouldNotBeNull().Channel.ShouldBe(ConsentChannel.Email);
        survivor.SmsConsent.ShouldNotBeNull().Channel.ShouldBe(ConsentChannel.Sms);
        survivor.ConsentProofs.Select(p => p.Channel).ShouldBe([ConsentChannel.Email, ConsentChannel.Sms], ignoreOrder: true);

        var absorbed = await Contact("demo", b.ContactId);
        absorbed.MergedInto.ShouldBe(a.ContactId);
        absorbed.SignUpIds.ShouldBe([byPhone]);

        (await EventsOf("demo", a.ContactId!.Value)).ShouldBe([nameof(ContactCreated), nameof(ContactAbsorbed), nameof(ContactDetailsUpdated)]);
        (await EventsOf("demo", b.ContactId.Value)).ShouldBe([nameof(ContactCreated), nameof(ContactMergedInto)]);
        (await EventsOf("demo", byPhone)).ShouldBe([nameof(SignUpSubmitted), nameof(SignUpLinkedToContact), nameof(SignUpRelinkedToContact)]);

        (await IndexOf("demo")).ShouldBe(new Dictionary<string, Guid>
        {
            [Key("demo", "email:ann@example.com")] = a.ContactId.Value,
            [Key("demo", "phone:" + AnnPhone)] = a.ContactId.Value,
        }, ignoreOrder: true);

        var rows = (await app.SendAsync("demo", new ListSignUpsQuery())).Items;
        rows.Count.ShouldBe(3);
        rows.ShouldAllBe(s => s.ContactId == a.ContactId);

        // The phone alone finds the merged contact from now on.
        var (_, later) = await app.SignUpAndLinkAsync("demo", SignUp(null, "0612345678"));
        later.ContactId.ShouldBe(a.ContactId);
        later.MergedContactIds.ShouldBeEmpty();
        (await Contact("demo", a.ContactId)).SignUps.ShouldBe(4);
    }

    [Fact]
    public async Task The_contact_that_existed_first_survives_whichever_key_matched_it()
    {
        var (_, byPhone) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone, smsConsent: true));
        var (_, byEmail) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));

        var (_, merge) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone, emailConsent: true));

        merge.ContactId.ShouldBe(byPhone.ContactId);
        merge.MergedContactIds.ShouldBe([byEmail.ContactId!.Value]);
        (await Contact("demo", byEmail.ContactId)).MergedInto.ShouldBe(byPhone.ContactId);

        // Two email consents (the absorbed contact's and the merging sign-up's) and one SMS consent: all kept,
        // and the current email consent is the one given last.
        var survivor = await Contact("demo", byPhone.ContactId);
        survivor.ConsentProofs.Count.ShouldBe(3);
        survivor.EmailConsent.ShouldBe(survivor.ConsentProofs.Where(p => p.Channel == ConsentChannel.Email).MaxBy(p => p.GivenAt));
    }

    [Fact]
    public async Task Three_contacts_of_one_shopper_become_one_over_two_merges()
    {
        var (s1, a) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null));
        var (s2, b) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone));
        var (s3, c) = await app.SignUpAndLinkAsync("demo", SignUp("ann@work.example", null));
        new[] { a.ContactId, b.ContactId, c.ContactId }.Distinct().Count().ShouldBe(3);

        // Work email and phone: C joins B (B is older).
        var (s4, first) = await app.SignUpAndLinkAsync("demo", SignUp("ann@work.example", AnnPhone));
        first.ContactId.ShouldBe(b.ContactId);
        first.MergedContactIds.ShouldBe([c.ContactId!.Value]);

        // Home email and phone: B, with what it absorbed, joins A.
        var (s5, second) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone));
        second.ContactId.ShouldBe(a.ContactId);
        second.MergedContactIds.ShouldBe([b.ContactId!.Value]);

        var survivor = await Contact("demo", a.ContactId);
        survivor.SignUps.ShouldBe(5);
        survivor.SignUpIds.ShouldBe([s1, s2, s3, s4, s5], ignoreOrder: true);
        survivor.AbsorbedContactIds.ShouldBe([b.ContactId.Value, c.ContactId.Value], ignoreOrder: true);

        // Every absorbed contact names the contact that holds the shopper now, C too (it moved on with B).
        (await Contact("demo", b.ContactId)).MergedInto.ShouldBe(a.ContactId);
        (await Contact("demo", c.ContactId)).MergedInto.ShouldBe(a.ContactId);
        (await EventsOf("demo", c.ContactId.Value)).ShouldBe([nameof(ContactCreated), nameof(ContactMergedInto), nameof(ContactMergedInto)]);

        (await IndexOf("demo")).Values.ShouldAllBe(id => id == a.ContactId);
        (await IndexOf("demo")).Count.ShouldBe(3);
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldAllBe(s => s.ContactId == a.ContactId);

        var (_, viaWorkEmail) = await app.SignUpAndLinkAsync("demo", SignUp("ann@work.example", null));
        viaWorkEmail.ContactId.ShouldBe(a.ContactId);
    }

    [Fact]
    public async Task Linking_every_sign_up_again_after_a_merge_changes_nothing()
    {
        var (s1, a) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null));
        var (s2, _) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone));
        var (s3, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone));
        var events = await EventCount("demo");
        var before = JsonSerializer.Serialize(await Contact("demo", a.ContactId));

        // What a rewound subscription would do: the same commands again, in the log's order.
        foreach (var signUpId in new[] { s1, s2, s3 })
        {
            var again = await app.SendAsync("demo", new LinkSignUpToContactCommand(signUpId));
            again.AlreadyLinked.ShouldBeTrue();
            again.ContactId.ShouldBe(a.ContactId); // the phone's sign-up too: it was relinked by the merge
            again.MergedContactIds.ShouldBeEmpty();
        }

        (await EventCount("demo")).ShouldBe(events);
        JsonSerializer.Serialize(await Contact("demo", a.ContactId)).ShouldBe(before);
    }

    [Fact]
    public async Task A_merged_contact_rebuilds_from_its_events_alone()
    {
        var (_, a) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));
        var (_, b) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone, lastName: "Jansen", smsConsent: true));
        await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone));
        var survivor = JsonSerializer.Serialize(await Contact("demo", a.ContactId));
        var absorbed = JsonSerializer.Serialize(await Contact("demo", b.ContactId));

        // Throw the read models away, so only the events can bring them back.
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession(stores["demo"].ToString()))
        {
            session.DeleteWhere<ContactSummary>(_ => true);
            session.DeleteWhere<SignUpSummary>(_ => true);
            await session.SaveChangesAsync();
        }

        (await app.SendAsync("demo", new GetContactQuery(a.ContactId!.Value))).ShouldBeNull();
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldBeEmpty();

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<ContactSummaryProjection>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<SignUpSummaryProjection>(CancellationToken.None);

        JsonSerializer.Serialize(await Contact("demo", a.ContactId)).ShouldBe(survivor);
        JsonSerializer.Serialize(await Contact("demo", b.ContactId)).ShouldBe(absorbed);
        var rows = (await app.SendAsync("demo", new ListSignUpsQuery())).Items;
        rows.Count.ShouldBe(3);
        rows.ShouldAllBe(s => s.ContactId == a.ContactId);
    }

    [Fact]
    public async Task Another_store_s_contacts_with_the_same_email_and_phone_are_never_touched()
    {
        // In the other store, the email and the phone are two contacts: a merge there if keys leaked across stores.
        var (_, otherByEmail) = await app.SignUpAndLinkAsync("other", SignUp("ann@example.com", null));
        var (_, otherByPhone) = await app.SignUpAndLinkAsync("other", SignUp(null, AnnPhone));

        // In this store, only the phone is known: the sign-up joins that contact and merges nothing.
        var (_, demoByPhone) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone));
        var (_, demo) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone));
        demo.ContactId.ShouldBe(demoByPhone.ContactId);
        demo.MergedContactIds.ShouldBeEmpty();

        // A merge in this store leaves the other store alone.
        var (_, demoByWork) = await app.SignUpAndLinkAsync("demo", SignUp("ann@work.example", null));
        var (_, demoMerge) = await app.SignUpAndLinkAsync("demo", SignUp("ann@work.example", AnnPhone));
        demoMerge.MergedContactIds.ShouldBe([demoByWork.ContactId!.Value]);

        foreach (var contact in new[] { otherByEmail, otherByPhone })
        {
            var summary = await Contact("other", contact.ContactId);
            summary.MergedInto.ShouldBeNull();
            summary.SignUps.ShouldBe(1);
            (await EventsOf("other", contact.ContactId!.Value)).ShouldBe([nameof(ContactCreated)]);
            (await app.SendAsync("demo", new GetContactQuery(contact.ContactId.Value))).ShouldBeNull();
        }

        (await IndexOf("other")).ShouldBe(new Dictionary<string, Guid>
        {
            [Key("other", "email:ann@example.com")] = otherByEmail.ContactId!.Value,
            [Key("other", "phone:" + AnnPhone)] = otherByPhone.ContactId!.Value,
        }, ignoreOrder: true);

        // And the other store merges its own two, leaving this store's contact as it was.
        var demoBefore = JsonSerializer.Serialize(await Contact("demo", demo.ContactId));
        var (_, otherMerge) = await app.SignUpAndLinkAsync("other", SignUp("ann@example.com", AnnPhone));
        otherMerge.ContactId.ShouldBe(otherByEmail.ContactId);
        otherMerge.MergedContactIds.ShouldBe([otherByPhone.ContactId.Value]);
        JsonSerializer.Serialize(await Contact("demo", demo.ContactId)).ShouldBe(demoBefore);
    }

    [Fact]
    public async Task Getting_an_absorbed_contact_says_which_contact_it_was_merged_into()
    {
        var (_, a) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null));
        var (byPhone, b) = await app.SignUpAndLinkAsync("demo", SignUp(null, AnnPhone, firstName: "Annie"));
        (await Contact("demo", b.ContactId)).MergedInto.ShouldBeNull();

        await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", AnnPhone));

        var absorbed = await Contact("demo", b.ContactId);
        absorbed.Id.ShouldBe(b.ContactId!.Value);
        absorbed.MergedInto.ShouldBe(a.ContactId);
        absorbed.MergedAt.ShouldNotBeNull();
        absorbed.Shopper.FirstName.ShouldBe("Annie"); // as it was when it was merged
        absorbed.SignUpIds.ShouldBe([byPhone]);
    }
}

public class ContactMergeSubscriptionTests(AppWithDaemon app) : IClassFixture<AppWithDaemon>
{
    [Fact]
    public async Task The_subscription_merges_contacts_as_it_follows_the_event_log()
    {
        await app.AddStoreAsync("merge", "Merge Store");
        await app.SendAsync("merge", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Merge Store") with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional)],
        }));
        await app.SendAsync("merge", SignUp("ann@example.com"));
        await app.SendAsync("merge", SignUp(null, "+31612345678"));
        await app.SendAsync("merge", SignUp("ann@example.com", "+31612345678"));

        await app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var rows = (await app.SendAsync("merge", new ListSignUpsQuery())).Items;
        rows.Count.ShouldBe(3);
        rows.Select(s => s.ContactId).Distinct().Count().ShouldBe(1);
        var contact = (await app.SendAsync("merge", new GetContactQuery(rows[0].ContactId!.Value))).ShouldNotBeNull();
        contact.SignUps.ShouldBe(3);
        contact.AbsorbedContactIds.Count.ShouldBe(1);
        (await app.SendAsync("merge", new GetContactQuery(contact.AbsorbedContactIds[0]))).ShouldNotBeNull().MergedInto.ShouldBe(contact.Id);
    }
}
