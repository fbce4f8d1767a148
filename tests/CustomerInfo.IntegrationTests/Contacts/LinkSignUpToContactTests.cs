using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Contacts;

public class LinkSignUpToContactTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid demoId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demoId = await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("other", "Other Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_returning_shopper_is_one_contact_and_keeps_both_sign_ups_in_its_history()
    {
        var (first, firstLink) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", firstName: "Ann"));
        var (second, secondLink) = await app.SignUpAndLinkAsync("demo", SignUp(" ANN@example.com ", "0612345678", firstName: "Anna", emailConsent: true));

        firstLink.NewContact.ShouldBeTrue();
        secondLink.NewContact.ShouldBeFalse();
        secondLink.ContactId.ShouldBe(firstLink.ContactId);

        var contact = (await app.SendAsync("demo", new GetContactQuery(firstLink.ContactId!.Value))).ShouldNotBeNull();
        contact.SignUps.ShouldBe(2);
        contact.SignUpIds.ShouldBe([first, second]);
        contact.Shopper.FirstName.ShouldBe("Anna");
        contact.Shopper.Phone.ShouldBe("+31612345678");
        contact.EmailConsent.ShouldNotBeNull();

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(demoId.ToString());
        (await session.Events.FetchStreamAsync(contact.Id)).Select(e => e.Data.GetType().Name)
            .ShouldBe([nameof(ContactCreated), nameof(ContactDetailsUpdated)]);

        var list = await app.SendAsync("demo", new ListSignUpsQuery());
        list.Items.ShouldAllBe(s => s.ContactId == contact.Id);
        list.Items.Single(s => s.Id == second).ReturningShopper.ShouldBeTrue();
        list.Items.Single(s => s.Id == first).ReturningShopper.ShouldBeFalse();
    }

    [Fact]
    public async Task A_sign_up_with_only_a_known_phone_number_joins_that_contact()
    {
        await app.SendAsync("demo", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Demo") with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional)],
        }));
        var (_, first) = await app.SignUpAndLinkAsync("demo", SignUp("bo@example.com", "+31 6 12345678"));
        var (_, second) = await app.SignUpAndLinkAsync("demo", SignUp(null, "06-12345678"));

        second.ContactId.ShouldBe(first.ContactId);
    }

    [Fact]
    public async Task Different_shoppers_are_different_contacts()
    {
        var (_, first) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var (_, second) = await app.SignUpAndLinkAsync("demo", SignUp("bo@example.com"));

        second.ContactId.ShouldNotBe(first.ContactId);
        second.NewContact.ShouldBeTrue();
    }

    [Fact]
    public async Task The_same_email_in_another_store_is_another_store_s_contact()
    {
        var (_, demo) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var (_, other) = await app.SignUpAndLinkAsync("other", SignUp("ann@example.com"));

        other.NewContact.ShouldBeTrue();
        other.ContactId.ShouldNotBe(demo.ContactId);
        (await app.SendAsync("demo", new GetContactQuery(other.ContactId!.Value))).ShouldBeNull();
    }

    [Fact]
    public async Task Linking_again_changes_nothing()
    {
        var (signUpId, first) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));

        var again = await app.SendAsync("demo", new LinkSignUpToContactCommand(signUpId));

        again.AlreadyLinked.ShouldBeTrue();
        again.ContactId.ShouldBe(first.ContactId);
        (await app.SendAsync("demo", new GetContactQuery(first.ContactId!.Value)))!.SignUps.ShouldBe(1);
    }

    [Fact]
    public async Task Linking_an_unknown_sign_up_does_nothing() =>
        (await app.SendAsync("demo", new LinkSignUpToContactCommand(Guid.NewGuid()))).ContactId.ShouldBeNull();
}

/// <summary>The app with Marten's async daemon running, as the worker role runs it.</summary>
public sealed class AppWithDaemon : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Marten:Daemon:Enabled", "true")];
}

public class ContactLinkingSubscriptionTests(AppWithDaemon app) : IClassFixture<AppWithDaemon>
{
    [Fact]
    public async Task Received_sign_ups_are_linked_to_their_contacts_from_the_event_log()
    {
        await app.AddStoreAsync("daemon", "Daemon Store");
        await app.SendAsync("daemon", SignUp("ann@example.com"));
        await app.SendAsync("daemon", SignUp("ANN@example.com"));
        await app.SendAsync("daemon", SignUp("bo@example.com"));

        await app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var list = await app.SendAsync("daemon", new ListSignUpsQuery());
        list.Items.Count.ShouldBe(3);
        list.Items.ShouldAllBe(s => s.ContactId != null);
        list.Items.Select(s => s.ContactId).Distinct().Count().ShouldBe(2);
        list.Items.Count(s => s.ReturningShopper).ShouldBe(1);
    }
}
