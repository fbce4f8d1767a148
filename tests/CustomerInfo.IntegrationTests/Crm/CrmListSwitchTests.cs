using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Contacts.WithdrawConsent;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// ADR 19: the retailer switches the list of the connection (Klaviyo's list, Mailchimp's audience). A shopper whose consent Klaviyo knows joins the new list;
/// one who withdrew does not; one who unsubscribed in Klaviyo since stays unsubscribed (the switch adds members to the list,
/// it never sends Klaviyo's bulk subscribe, which would lift the unsubscribe). Through the real mapping command, the queued
/// jobs, the pipeline, the connector and the fake Klaviyo.
/// </summary>
public class CrmListSwitchTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private readonly string store = "klsw" + Guid.NewGuid().ToString("N")[..8];
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        app.Jobs.Clear();
        tenantId = await app.AddStoreAsync(store, "List switch store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Email(string name) => $"{name}.{tag}@example.com";

    private async Task<(Guid SignUpId, Guid ContactId)> SignUpAndPushAsync(string name, bool emailConsent)
    {
        var (signUpId, link) = await app.SignUpAndLinkAsync(store, SignUp(Email(name), firstName: name, emailConsent: emailConsent));
        await app.SendAsync(store, new PushSignUpToCrmCommand(tenantId, signUpId, 0));
        return (signUpId, link.ContactId!.Value);
    }

    /// <summary>Runs what the switch queued: the queueing job, then the pushes it queued.</summary>
    private async Task RunQueuedJobsAsync()
    {
        var queue = app.Jobs.Enqueued.Select(j => j.Command).OfType<QueueCrmPushesCommand>().ToList();
        app.Jobs.Clear();
        foreach (var command in queue)
        {
            await app.SendAsync(store, command);
        }

        foreach (var push in app.Jobs.Enqueued.Select(j => j.Command).OfType<PushSignUpsToCrmCommand>().ToList())
        {
            await app.SendAsync(store, push);
        }
    }

    [Fact]
    public async Task Klaviyo_a_new_list_gets_the_shoppers_who_consented_but_not_those_who_withdrew_and_an_unsubscribe_in_klaviyo_stands()
    {
        var old = app.Klaviyo.AddList("Old " + store);
        var now = app.Klaviyo.AddList("New " + store);
        await app.ConnectAsync(store, KlaviyoConnector.Kind, new Dictionary<string, string> { [KlaviyoConnector.ListSetting] = old }, new Dictionary<string, string> { [KlaviyoConnector.ApiKeySetting] = app.Klaviyo.ApiKey });
        var manager = Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Manager);

        var (ann, _) = await SignUpAndPushAsync("ann", emailConsent: true);
        var (_, bob) = await SignUpAndPushAsync("bob", emailConsent: true);
        await SignUpAndPushAsync("cid", emailConsent: true);
        await SignUpAndPushAsync("dan", emailConsent: false);
        (await app.SendAsync(store, new WithdrawConsentCommand(bob, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        app.Klaviyo.Unsubscribe(Email("cid"));
        app.Klaviyo.Profile(Email("ann"))!.Lists.ShouldBe([old]);
        var subscribeJobs = app.Klaviyo.SubscriptionJobs.Count;
        app.Jobs.Clear();

        (await app.SendAsync(store, new SaveCrmMappingCommand(null, now), manager)).Saved.ShouldBeTrue();
        app.Jobs.Enqueued.Select(j => j.Command).OfType<QueueCrmPushesCommand>().ShouldHaveSingleItem().Why.ShouldBe(CrmQueueReason.ListChanged);
        await RunQueuedJobsAsync();

        var annProfile = app.Klaviyo.Profile(Email("ann"))!;
        annProfile.Lists.ShouldContain(now, "a shopper who consented is on the list the retailer uses now");
        annProfile.Consent.ShouldBe("SUBSCRIBED");
        app.Klaviyo.Profile(Email("bob"))!.Lists.ShouldNotContain(now, "a shopper who withdrew is not added");
        app.Klaviyo.Profile(Email("dan"))!.Lists.ShouldNotContain(now, "a shopper who never consented is not added");
        var cid = app.Klaviyo.Profile(Email("cid"))!;
        cid.Consent.ShouldBe("UNSUBSCRIBED", "the switch never lifts an unsubscribe made in Klaviyo");
        cid.Suppressed.ShouldBeTrue();
        app.Klaviyo.SubscriptionJobs.Count.ShouldBe(subscribeJobs, "the switch sends no bulk subscribe");
        var adds = app.Klaviyo.ListAdds.Where(a => a.List == now).SelectMany(a => a.ProfileIds).ToList();
        adds.ShouldContain(annProfile.Id);
        adds.ShouldNotContain(app.Klaviyo.Profile(Email("bob"))!.Id);

        // Told now: a later push of Ann (a retry, a detail change) adds her to no list again.
        var before = app.Klaviyo.ListAdds.Count;
        await app.SendAsync(store, new PushSignUpToCrmCommand(tenantId, ann, 77));
        app.Klaviyo.ListAdds.Count.ShouldBe(before);
    }

    [Fact]
    public async Task Saving_the_mapping_with_the_same_list_queues_nothing()
    {
        var list = app.Klaviyo.AddList("Same " + store);
        await app.ConnectAsync(store, KlaviyoConnector.Kind, new Dictionary<string, string> { [KlaviyoConnector.ListSetting] = list }, new Dictionary<string, string> { [KlaviyoConnector.ApiKeySetting] = app.Klaviyo.ApiKey });
        await SignUpAndPushAsync("eve", emailConsent: true);
        app.Jobs.Clear();

        (await app.SendAsync(store, new SaveCrmMappingCommand(null, list), Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Manager))).Saved.ShouldBeTrue();

        app.Jobs.Enqueued.Select(j => j.Command).OfType<QueueCrmPushesCommand>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Mailchimp_a_new_audience_gets_the_shoppers_who_consented_as_subscribed_and_those_who_withdrew_as_unsubscribed()
    {
        var old = "o" + tag;
        var now = "n" + tag;
        app.Mailchimp.AddList(old, "Old " + store);
        app.Mailchimp.AddList(now, "New " + store);
        await app.ConnectAsync(store, MailchimpConnector.Kind, new Dictionary<string, string> { [MailchimpConnector.ListSetting] = old }, new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = FakeMailchimp.ApiKey });
        await SignUpAndPushAsync("ann", emailConsent: true);
        var (_, bob) = await SignUpAndPushAsync("bob", emailConsent: true);
        (await app.SendAsync(store, new WithdrawConsentCommand(bob, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        app.Jobs.Clear();

        (await app.SendAsync(store, new SaveCrmMappingCommand(null, now), Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Manager))).Saved.ShouldBeTrue();
        await RunQueuedJobsAsync();

        app.Mailchimp.Member(now, Email("ann"))!.Status.ShouldBe("subscribed", "status_if_new follows the consent the shopper gave");
        app.Mailchimp.Member(now, Email("bob"))?.Status.ShouldNotBe("subscribed", "a shopper who withdrew is never subscribed to the new audience");
    }
}
