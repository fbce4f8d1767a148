using System.Text.Json;
using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using FluentValidation;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>"What do you have on me?": one shopper, found by what they would give, and everything the store holds on them.</summary>
public class ExportShopperTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid demoId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demoId = await app.AddStoreAsync("demo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("  Quintessa.Vandermolen@EXAMPLE.com ", null)]
    [InlineData(null, "06 12345678")]
    [InlineData(null, "+31 6 1234 5678")]
    [InlineData("nobody@example.com", "0612345678")]
    public async Task A_shopper_is_found_by_their_email_or_phone_as_they_would_type_it(string? email, string? phone)
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", Quintessa());

        (await app.SendAsync("demo", new FindShopperQuery(email, phone))).ShouldBe(link.ContactId);
    }

    [Fact]
    public async Task Nobody_is_found_for_an_address_the_store_does_not_know_and_asking_needs_one()
    {
        await app.SignUpAndLinkAsync("demo", Quintessa());

        (await app.SendAsync("demo", new FindShopperQuery("someone.else@example.com", null))).ShouldBeNull();
        (await app.SendAsync("demo", new FindShopperQuery(null, "not a number"))).ShouldBeNull();
        (await app.SendAsync("demo", new ExportShopperQuery(Guid.NewGuid()))).ShouldBeNull();
        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("demo", new FindShopperQuery(" ", null)));
        refused.Errors.Single().ErrorMessage.ShouldBe("Give the shopper's email address or phone number.");
    }

    [Fact]
    public async Task The_export_holds_the_contact_every_sign_up_worded_as_the_shopper_saw_it_and_every_consent_proof()
    {
        var (first, byEmail) = await app.SignUpAndLinkAsync("demo", Quintessa(phone: null, answers: false));
        var second = Quintessa();
        second.Language = "nl";
        var (secondId, _) = await app.SignUpAndLinkAsync("demo", second);
        await app.SignUpAndLinkAsync("demo", Bartholomeus());

        var export = (await app.SendAsync("demo", new ExportShopperQuery(byEmail.ContactId!.Value))).ShouldNotBeNull();

        export.Store.ShouldBe("demo store");
        export.Contact.Id.ShouldBe(byEmail.ContactId.Value);
        export.Contact.Details.ShouldBe(new Shopper(FirstName, LastName, Email, Phone, new Birthday(14, 3, 1990), PostalCode));
        export.Contact.EmailConsent.ShouldNotBeNull().Channel.ShouldBe(ConsentChannel.Email);
        export.Contact.SmsConsent.ShouldNotBeNull().Language.ShouldBe("nl");
        export.SignUps.Select(s => s.Id).ShouldBe([first, secondId]);
        export.SignUps[0].Answers.ShouldBeEmpty();
        export.SignUps[1].Language.ShouldBe("nl");
        export.SignUps[1].Answers.Select(a => (a.Question, string.Join(" | ", a.Answer))).ShouldBe([("Hoe hoorde je van ons?", "Van een vriend"), ("Moeten we iets weten?", Note)]);
        export.ConsentProofs.Select(p => (p.Channel, p.Language)).ShouldBe([(ConsentChannel.Email, "en"), (ConsentChannel.Email, "nl"), (ConsentChannel.Sms, "nl")]);

        // Nothing of another shopper is in it.
        JsonSerializer.Serialize(export).ShouldNotContain(OtherEmail);
    }

    [Fact]
    public async Task A_sign_up_at_a_kiosk_link_is_exported_with_its_store_s_name()
    {
        var station = await app.AddKioskLinkAsync(demoId, "Demo Store Station");
        var signUp = Quintessa();
        signUp.KioskToken = station.Token;
        var (_, link) = await app.SignUpAndLinkAsync("demo", signUp);

        var export = (await app.SendAsync("demo", new ExportShopperQuery(link.ContactId!.Value))).ShouldNotBeNull();

        export.SignUps.ShouldHaveSingleItem().Location.ShouldBe("Demo Store Station");
        export.ConsentProofs.ShouldAllBe(p => p.Location == "Demo Store Station");
    }
}
