using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// Issue 12: a later push must not re-subscribe a shopper who unsubscribed in the CRM. The shopper signs up with
/// email consent and is pushed; then unsubscribes in the CRM itself (the fake's member, profile or status is set so
/// by the test, as the vendor's unsubscribe link would); later pushes of the contact (a retry, a new sign-up without
/// the box ticked that changes a detail) leave the CRM's status alone. Only a new sign-up with consent is a new act,
/// and it follows the vendor's rule. Through the real pipeline (<see cref="PushSignUpToCrmCommand"/>) and connectors.
/// </summary>
public class UnsubscribedInTheCrmTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private readonly string store = "unsub" + Guid.NewGuid().ToString("N")[..8];
    private readonly string email = "ann." + Guid.NewGuid().ToString("N")[..8] + "@example.com";
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        app.Jobs.Clear();
        tenantId = await app.AddStoreAsync(store, "Unsubscribe test store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> SignUpAndPushAsync(bool emailConsent, string lastName = "Peeters", long trigger = 0)
    {
        var (signUpId, _) = await app.SignUpAndLinkAsync(store, SignUp(email, lastName: lastName, emailConsent: emailConsent));
        await PushAsync(signUpId, trigger);
        return signUpId;
    }

    private async Task PushAsync(Guid signUpId, long trigger) => await app.SendAsync(store, new PushSignUpToCrmCommand(tenantId, signUpId, trigger));

    [Fact]
    public async Task Mailchimp_a_member_who_unsubscribed_there_stays_unsubscribed_through_later_pushes_and_a_new_sign_up_with_consent_is_pending()
    {
        var list = "l-" + Guid.NewGuid().ToString("N")[..8];
        app.Mailchimp.AddList(list, "Unsubscribe test");
        await app.ConnectAsync(store, MailchimpConnector.Kind, new Dictionary<string, string> { [MailchimpConnector.ListSetting] = list }, new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = FakeMailchimp.ApiKey });
        var first = await SignUpAndPushAsync(emailConsent: true);
        app.Mailchimp.Member(list, email)!.Status.ShouldBe("subscribed");

        app.Mailchimp.Unsubscribe(list, email);
        await PushAsync(first, trigger: 7); // a retry (or the history sent again) of the same sign-up
        await SignUpAndPushAsync(emailConsent: false, lastName: "Janssens"); // a detail change, box not ticked

        var member = app.Mailchimp.Member(list, email)!;
        member.Status.ShouldBe("unsubscribed");
        member.MergeFields["LNAME"].ShouldBe("Janssens", "the details still reach Mailchimp");
        app.Mailchimp.ConfirmationMails.ShouldNotContain(email, "no confirmation mail is sent to a shopper who unsubscribed");

        await SignUpAndPushAsync(emailConsent: true); // a new act: Mailchimp's rule, a confirmation mail, never subscribed

        app.Mailchimp.Member(list, email)!.Status.ShouldBe("pending");
        app.Mailchimp.ConfirmationMails.ShouldContain(email);
    }

    [Fact]
    public async Task Klaviyo_a_profile_that_unsubscribed_there_is_not_subscribed_again_by_later_pushes_but_is_by_a_new_sign_up_with_consent()
    {
        var list = app.Klaviyo.AddList("Unsubscribe test " + store);
        await app.ConnectAsync(store, KlaviyoConnector.Kind, new Dictionary<string, string> { [KlaviyoConnector.ListSetting] = list }, new Dictionary<string, string> { [KlaviyoConnector.ApiKeySetting] = app.Klaviyo.ApiKey });
        var first = await SignUpAndPushAsync(emailConsent: true);
        app.Klaviyo.Profile(email)!.Consent.ShouldBe("SUBSCRIBED");

        app.Klaviyo.Unsubscribe(email);
        await PushAsync(first, trigger: 7);
        await SignUpAndPushAsync(emailConsent: false, lastName: "Janssens");

        var profile = app.Klaviyo.Profile(email)!;
        profile.Consent.ShouldBe("UNSUBSCRIBED");
        profile.Lists.ShouldNotContain(list);
        profile.Attributes["last_name"].ShouldBe("Janssens");

        await SignUpAndPushAsync(emailConsent: true);

        app.Klaviyo.Profile(email)!.Consent.ShouldBe("SUBSCRIBED", "a new sign-up with the box ticked is consent anew (Klaviyo's subscribe lifts its suppression)");
    }

    [Fact]
    public async Task HubSpot_a_contact_unsubscribed_from_the_type_there_stays_unsubscribed_through_later_pushes_and_a_new_sign_up_with_consent_subscribes_it()
    {
        var type = app.HubSpot.AddSubscriptionType("Marketing " + store);
        await app.ConnectAsync(store, HubSpotConnector.Kind, new Dictionary<string, string> { [HubSpotConnector.SubscriptionSetting] = type }, new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = app.HubSpot.Token });
        var first = await SignUpAndPushAsync(emailConsent: true);
        app.HubSpot.SubscriptionStatus(email, type)!.Status.ShouldBe("SUBSCRIBED");

        app.HubSpot.UnsubscribeFromType(email, type);
        await PushAsync(first, trigger: 7);
        await SignUpAndPushAsync(emailConsent: false, lastName: "Janssens");

        app.HubSpot.SubscriptionStatus(email, type)!.Status.ShouldBe("NOT_SUBSCRIBED");
        app.HubSpot.Contacts.Single(c => c.Email == email).Properties["lastname"].ShouldBe("Janssens");

        await SignUpAndPushAsync(emailConsent: true);

        app.HubSpot.SubscriptionStatus(email, type)!.Status.ShouldBe("SUBSCRIBED");
    }

    [Fact]
    public async Task HubSpot_a_contact_opted_out_of_all_email_there_is_never_subscribed_again_even_by_a_new_sign_up_with_consent()
    {
        var type = app.HubSpot.AddSubscriptionType("Newsletter " + store);
        await app.ConnectAsync(store, HubSpotConnector.Kind, new Dictionary<string, string> { [HubSpotConnector.SubscriptionSetting] = type }, new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = app.HubSpot.Token });
        var first = await SignUpAndPushAsync(emailConsent: true);
        app.HubSpot.SubscriptionStatus(email, type)!.Status.ShouldBe("SUBSCRIBED");
        await using (var before = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString()))
        {
            (await before.LoadAsync<SignUpSummary>(first))!.CrmEmailOptedOutIn.ShouldBeNull("subscribed: nothing to note");
        }

        app.HubSpot.Unsubscribe(email); // "unsubscribe from all": hs_email_optout
        var again = await SignUpAndPushAsync(emailConsent: true, lastName: "Janssens");

        app.HubSpot.ResubscribedAfterOptOut.ShouldNotContain(email);
        app.HubSpot.SubscriptionStatus(email, type)!.Status.ShouldBe("NOT_SUBSCRIBED");
        var contact = app.HubSpot.Contacts.Single(c => c.Email == email);
        contact.Properties["hs_email_optout"].ShouldBe("true");
        contact.Properties["lastname"].ShouldBe("Janssens", "the details are saved; only the subscription is left to the shopper");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var row = (await session.LoadAsync<SignUpSummary>(again))!;
        row.CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        row.CrmEmailOptedOutIn.ShouldBe(HubSpotConnector.Kind, "the row says the consent was not applied, from the outcome event");
        (await session.Events.FetchStreamAsync(again)).Select(e => e.Data).OfType<Domain.SignUps.SignUpPushedToCrm>().ShouldHaveSingleItem().EmailOptedOut.ShouldBeTrue();
    }
}
