using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using FluentValidation;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>"Delete me": once a shopper is erased, no copy of their details is left anywhere in PostgreSQL.</summary>
public class EraseShopperTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private readonly Dictionary<string, Guid> stores = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        stores["demo"] = await app.AddStoreAsync("demo");
        stores["other"] = await app.AddStoreAsync("other");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Erasing_a_shopper_leaves_no_trace_of_them_in_any_column_of_any_table_and_others_stay()
    {
        // Known by her email, then by her phone: two contacts, merged by a third sign-up that gives
        // both; a fourth arrives and is not linked yet when she asks to be erased.
        var (_, byEmail) = await app.SignUpAndLinkAsync("demo", Quintessa(phone: null));
        var (_, byPhone) = await app.SignUpAndLinkAsync("demo", Quintessa(email: null));
        var (_, merged) = await app.SignUpAndLinkAsync("demo", Quintessa());
        merged.MergedContactIds.ShouldBe([byPhone.ContactId!.Value]);
        var pending = await app.SendAsync("demo", Quintessa(phone: null, answers: false));
        await app.SignUpAndLinkAsync("demo", Bartholomeus());

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty("the search finds her before she is erased");

        // Asked through the contact that was absorbed: the whole shopper goes.
        var erased = await app.SendAsync("demo", new EraseShopperCommand(byPhone.ContactId.Value, "platform-owner"));

        erased.Found.ShouldBeTrue();
        erased.ContactIds.ShouldBe([byEmail.ContactId!.Value, byPhone.ContactId.Value], ignoreOrder: true);
        erased.SignUpIds.Count.ShouldBe(4);
        erased.SignUpIds.ShouldContain(pending.SignUpId);
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, OtherEmail, OtherFirstName)).Count.ShouldBeGreaterThanOrEqualTo(4, "the other shopper is still there, in events and read models");
        (await app.SendAsync("demo", new FindShopperQuery(OtherEmail, null))).ShouldNotBeNull();
        (await app.SendAsync("demo", new FindShopperQuery(Email, null))).ShouldBeNull();
    }

    [Fact]
    public async Task The_sign_up_history_says_erased_and_by_whom_and_the_log_still_replays()
    {
        var (signUpId, link) = await app.SignUpAndLinkAsync("demo", Quintessa());
        var contactId = link.ContactId!.Value;

        await app.SendAsync("demo", new EraseShopperCommand(contactId, "platform-owner"));

        await using (var session = Store.QuerySession(stores["demo"].ToString()))
        {
            var history = (await session.Events.FetchStreamAsync(signUpId)).Select(e => e.Data).ToList();
            history.Select(e => e.GetType()).ShouldBe([typeof(SignUpSubmitted), typeof(SignUpLinkedToContact), typeof(SignUpErased)]);
            history.OfType<SignUpErased>().Single().ErasedBy.ShouldBe("platform-owner");

            // What says nothing about her stays: when, which form, which language, that consent was given.
            var submitted = history.OfType<SignUpSubmitted>().Single();
            submitted.Shopper.ShouldBe(ShopperData.None);
            submitted.Answers.ShouldBeEmpty();
            submitted.FormVersion.ShouldBe(1);
            submitted.EmailConsent.ShouldNotBeNull();

            (await session.Events.FetchStreamAsync(contactId)).Select(e => e.Data).Last().ShouldBeOfType<ShopperErased>().ErasedBy.ShouldBe("platform-owner");
        }

        // The read models rebuilt from the masked log say the same as before the rebuild.
        var before = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Single();
        using (var daemon = await Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<SignUpSummaryProjection>(CancellationToken.None);
            await daemon.RebuildProjectionAsync<ContactSummaryProjection>(CancellationToken.None);
        }

        var row = (await app.SendAsync("demo", new ListSignUpsQuery())).Items.Single();
        row.ShouldBe(before);
        row.ErasedBy.ShouldBe("platform-owner");
        row.ErasedAt.ShouldNotBeNull();
        (row.FirstName, row.LastName, row.Email, row.Phone).ShouldBe((null, null, null, null));
        row.EmailConsent.ShouldBeTrue();

        var contact = (await app.SendAsync("demo", new GetContactQuery(contactId))).ShouldNotBeNull();
        contact.Shopper.ShouldBe(ShopperData.None);
        contact.ErasedBy.ShouldBe("platform-owner");
        (contact.EmailConsent, contact.SmsConsent).ShouldBe((null, null));
        contact.SignUps.ShouldBe(1);
        contact.ConsentProofs.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Erasing_again_adds_nothing_and_a_later_sign_up_is_a_new_contact()
    {
        var (signUpId, link) = await app.SignUpAndLinkAsync("demo", Quintessa());
        await app.SendAsync("demo", new EraseShopperCommand(link.ContactId!.Value, "platform-owner"));
        var events = await EventCountAsync("demo");

        var again = await app.SendAsync("demo", new EraseShopperCommand(link.ContactId.Value, "platform-owner"));

        again.AlreadyErased.ShouldBeTrue();
        (await EventCountAsync("demo")).ShouldBe(events);

        // Linking the erased sign-up again finds nothing to link by and brings nobody back.
        (await app.SendAsync("demo", new LinkSignUpToContactCommand(signUpId))).AlreadyLinked.ShouldBeTrue();
        var (_, later) = await app.SignUpAndLinkAsync("demo", Quintessa());
        later.NewContact.ShouldBeTrue();
        later.ContactId.ShouldNotBe(link.ContactId);
    }

    [Fact]
    public async Task A_sign_up_erased_before_it_was_linked_is_never_linked()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", Quintessa());
        var pending = await app.SendAsync("demo", Quintessa());

        await app.SendAsync("demo", new EraseShopperCommand(link.ContactId!.Value, "platform-owner"));
        var late = await app.SendAsync("demo", new LinkSignUpToContactCommand(pending.SignUpId));

        late.ContactId.ShouldBeNull();
        (await app.SendAsync("demo", new ListSignUpsQuery())).Items.ShouldAllBe(s => s.ErasedAt != null && s.Email == null);
    }

    [Fact]
    public async Task The_same_shopper_in_another_store_is_not_touched()
    {
        var (_, here) = await app.SignUpAndLinkAsync("demo", Quintessa());
        var (_, there) = await app.SignUpAndLinkAsync("other", Quintessa());

        await app.SendAsync("demo", new EraseShopperCommand(here.ContactId!.Value, "platform-owner"));

        var kept = (await app.SendAsync("other", new GetContactQuery(there.ContactId!.Value))).ShouldNotBeNull();
        kept.Shopper.Email.ShouldBe(Email);
        kept.ErasedAt.ShouldBeNull();
        (await app.SendAsync("other", new FindShopperQuery(Email, null))).ShouldBe(there.ContactId);

        // And a store cannot erase another store's contact: to it, that contact does not exist.
        var foreign = await app.SendAsync("demo", new EraseShopperCommand(there.ContactId.Value, "platform-owner"));
        foreign.Found.ShouldBeFalse();
        (await app.SendAsync("other", new GetContactQuery(there.ContactId.Value)))!.Shopper.Email.ShouldBe(Email);
    }

    [Fact]
    public async Task An_erasure_must_say_who_asked()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", Quintessa());

        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("demo", new EraseShopperCommand(link.ContactId!.Value, "")));

        refused.Errors.Single().PropertyName.ShouldBe(nameof(EraseShopperCommand.ErasedBy));
        (await app.SendAsync("demo", new FindShopperQuery(Email, null))).ShouldBe(link.ContactId);
    }

    private IDocumentStore Store => app.Services.GetRequiredService<IDocumentStore>();

    private async Task<long> EventCountAsync(string store)
    {
        await using var session = Store.QuerySession(stores[store].ToString());
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }
}
