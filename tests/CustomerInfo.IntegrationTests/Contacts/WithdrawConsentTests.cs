using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.GetContactDetail;
using CustomerInfo.Application.Contacts.WithdrawConsent;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Contacts;

/// <summary>A shopper withdrawing consent, and the contact's page that shows it (with its sign-ups and merges).</summary>
public class WithdrawConsentTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("demo", "Demo store");
        await app.AddStoreAsync("other", "Other store");
        foreach (var store in new[] { "demo", "other" })
        {
            await app.SendAsync(store, new PublishFormDefinitionCommand(FormDefinition.StarterFor(store) with
            {
                Fields =
                [
                    new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional),
                    new(BuiltInField.Phone, FieldRequirement.Optional),
                ],
            }));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string[]> EventsOf(Guid streamId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data.GetType().Name).ToArray();
    }

    [Fact]
    public async Task A_withdrawn_consent_is_no_longer_current_and_withdrawing_it_again_records_nothing()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", "0612345678", emailConsent: true, smsConsent: true));
        var contactId = link.ContactId!.Value;
        app.Clock.Advance(TimeSpan.FromHours(1));
        var withdrawnAt = app.Clock.UtcNow;

        (await app.SendAsync("demo", new WithdrawConsentCommand(contactId, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        app.Clock.Advance(TimeSpan.FromHours(1));
        (await app.SendAsync("demo", new WithdrawConsentCommand(contactId, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.NothingToWithdraw);

        var contact = (await app.SendAsync("demo", new GetContactQuery(contactId))).ShouldNotBeNull();
        contact.EmailConsent.ShouldBeNull();
        contact.EmailConsentWithdrawnAt.ShouldBe(withdrawnAt);
        contact.SmsConsent.ShouldNotBeNull();
        contact.SmsConsentWithdrawnAt.ShouldBeNull();
        contact.ConsentProofs.Count.ShouldBe(2); // the proof of what was given stays
        (await EventsOf(contactId)).ShouldBe([nameof(ContactCreated), nameof(ConsentWithdrawn)]);
    }

    [Fact]
    public async Task Consent_given_again_at_a_later_sign_up_is_current_again()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));
        await app.SendAsync("demo", new WithdrawConsentCommand(link.ContactId!.Value, ConsentChannel.Email));
        app.Clock.Advance(TimeSpan.FromDays(1));

        await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));

        var contact = (await app.SendAsync("demo", new GetContactQuery(link.ContactId.Value))).ShouldNotBeNull();
        contact.EmailConsent.ShouldNotBeNull().GivenAt.ShouldBe(app.Clock.UtcNow);
    }

    [Fact]
    public async Task A_withdrawal_through_a_merged_contact_lands_on_the_contact_that_holds_the_shopper_and_survives_later_merges()
    {
        var (_, byEmail) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, byPhone) = await app.SignUpAndLinkAsync("demo", SignUp(null, "0612345678", smsConsent: true));
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        // The phone's contact withdraws its SMS consent before it turns out to be Ann.
        await app.SendAsync("demo", new WithdrawConsentCommand(byPhone.ContactId!.Value, ConsentChannel.Sms));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", "0612345678"));

        var survivor = (await app.SendAsync("demo", new GetContactQuery(byEmail.ContactId!.Value))).ShouldNotBeNull();
        survivor.SmsConsent.ShouldBeNull();
        survivor.SmsConsentWithdrawnAt.ShouldNotBeNull();
        survivor.EmailConsent.ShouldNotBeNull();

        (await app.SendAsync("demo", new WithdrawConsentCommand(byPhone.ContactId.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        (await EventsOf(byEmail.ContactId.Value)).ShouldContain(nameof(ConsentWithdrawn));
        (await app.SendAsync("demo", new GetContactQuery(byEmail.ContactId.Value)))!.EmailConsent.ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_or_another_tenants_contact_is_not_found()
    {
        var (_, elsewhere) = await app.SignUpAndLinkAsync("other", SignUp("ann@example.com", null, emailConsent: true));

        (await app.SendAsync("demo", new WithdrawConsentCommand(elsewhere.ContactId!.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.NotFound);
        (await app.SendAsync("demo", new WithdrawConsentCommand(Guid.NewGuid(), ConsentChannel.Sms))).ShouldBe(WithdrawConsentOutcome.NotFound);
        (await app.SendAsync("demo", new GetContactDetailQuery(elsewhere.ContactId.Value))).ShouldBeNull();
        (await app.SendAsync("other", new GetContactQuery(elsewhere.ContactId.Value)))!.EmailConsent.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_contact_page_lists_its_sign_ups_newest_first_with_their_store_and_the_contacts_merged_in()
    {
        var store = await app.AddRetailStoreAsync("demo", "Centrum");
        var (first, byEmail) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (second, byPhone) = await app.SignUpAndLinkAsync("demo", SignUp(null, "0612345678", firstName: "Annie"));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var mergedAt = app.Clock.UtcNow;
        var (third, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", "0612345678"));
        var atStore = await app.AddSignUpAtAsync("demo", app.Clock.UtcNow.AddMinutes(1), store, shopper: new Shopper("Ann", null, "ann@example.com", null, null, null));
        await app.SendAsync("demo", new Application.Contacts.LinkSignUpToContact.LinkSignUpToContactCommand(atStore));

        var detail = (await app.SendAsync("demo", new GetContactDetailQuery(byEmail.ContactId!.Value))).ShouldNotBeNull();

        detail.SignUps.Select(s => s.Id).ShouldBe([atStore, third, second, first]);
        detail.SignUps[0].Store.ShouldBe("Centrum");
        detail.SignUps[1].Store.ShouldBeNull();
        detail.SignUps[3].EmailConsent.ShouldBeTrue();
        detail.MergedFrom.ShouldBe([new MergedContact(byPhone.ContactId!.Value, new Shopper("Annie", null, null, "+31612345678", null, null), 1, mergedAt)]);
        detail.TimeZone.ShouldBe("Europe/Amsterdam");

        var merged = (await app.SendAsync("demo", new GetContactDetailQuery(byPhone.ContactId.Value))).ShouldNotBeNull();
        merged.MergedInto.ShouldBe(byEmail.ContactId);
        merged.SignUps.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_erased_shopper_has_no_consent_left_to_withdraw()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", null, emailConsent: true));
        await app.SendAsync("demo", new EraseShopperCommand(link.ContactId!.Value, "test"));

        (await app.SendAsync("demo", new WithdrawConsentCommand(link.ContactId.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.NothingToWithdraw);
        var detail = (await app.SendAsync("demo", new GetContactDetailQuery(link.ContactId.Value))).ShouldNotBeNull();
        detail.Contact.ErasedAt.ShouldNotBeNull();
        detail.Contact.Shopper.ShouldBe(ShopperData.None);
    }
}
