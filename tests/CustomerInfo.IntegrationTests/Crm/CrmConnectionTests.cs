using CustomerInfo.Application.Admin.GetOverview;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>The CRM connection's commands on a real database: connect, edit, switch, test, map, disconnect.</summary>
public class CrmConnectionTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private Guid acme;
    private Guid bravo;
    private Actor manager = null!;
    private FakeWebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Jobs.Clear();
        acme = await app.AddStoreAsync("acme", "Acme");
        bravo = await app.AddStoreAsync("bravo", "Bravo");
        manager = Actor.Member(acme, Guid.NewGuid(), TeamRole.Manager);
        receiver = await FakeWebhookReceiver.StartNewAsync();
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private Task<ConnectCrmOutcome> ConnectWebhookAsync(string url, string store = "acme", bool newSecrets = false) =>
        app.SendAsync(store, new ConnectCrmCommand(WebhookConnector.Kind, new Dictionary<string, string?> { [WebhookConnector.UrlSetting] = url }, newSecrets), store == "acme" ? manager : null);

    private Task<ConnectCrmOutcome> ConnectMailchimpAsync(string key, string store = "acme") =>
        app.SendAsync(store, new ConnectCrmCommand(MailchimpConnector.Kind, new Dictionary<string, string?> { [MailchimpConnector.ApiKeySetting] = key }), store == "acme" ? manager : null);

    private Task<ConnectCrmOutcome> ConnectHubSpotAsync() =>
        app.SendAsync("acme", new ConnectCrmCommand(HubSpotConnector.Kind, new Dictionary<string, string?> { [HubSpotConnector.TokenSetting] = app.HubSpot.Token }), manager);

    private async Task<CrmConnection?> StoredAsync(Guid tenant)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.ToString());
        return await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId);
    }

    private IEnumerable<QueueCrmPushesCommand> Queued => app.Jobs.Enqueued.Where(j => j.Lane == Application.Common.Jobs.JobLane.Crm).Select(j => j.Command).OfType<QueueCrmPushesCommand>();

    [Fact]
    public async Task The_first_webhook_connection_shows_its_secret_once_stores_it_encrypted_and_queues_the_waiting_sign_ups()
    {
        var outcome = await ConnectWebhookAsync(receiver.Url);

        outcome.Connected.ShouldBeTrue();
        outcome.Tested.ShouldBeFalse();
        var secret = outcome.Generated[WebhookConnector.SecretSetting];
        secret.ShouldStartWith("whsec_");
        var stored = (await StoredAsync(acme)).ShouldNotBeNull();
        stored.ShouldSatisfyAllConditions(
            () => stored.Kind.ShouldBe(WebhookConnector.Kind),
            () => stored.Active.ShouldBeTrue(),
            () => stored.ConnectionId.ShouldNotBe(Guid.Empty),
            () => stored.Settings.ShouldBe(new Dictionary<string, string> { [WebhookConnector.UrlSetting] = receiver.Url }),
            () => stored.ProtectedSecrets.ShouldNotBeNull().ShouldNotContain(secret[6..]),
            () => stored.SecretHints[WebhookConnector.SecretSetting].ShouldBe("…" + secret[^4..]),
            () => stored.ConnectedBy.ShouldBe(manager.Id));
        Queued.ShouldHaveSingleItem().ShouldBe(new QueueCrmPushesCommand(acme, CrmQueueReason.Connected));

        // The page's query never carries the secret, only its hint.
        var view = await app.SendAsync("acme", new GetCrmConnectionQuery(), manager);
        view.Connected.ShouldBeTrue();
        view.Current!.SecretHints[WebhookConnector.SecretSetting].ShouldBe("…" + secret[^4..]);
        view.ToString().ShouldNotContain(secret);
        (await app.SendAsync("acme", new GetOverviewQuery(), manager)).Checklist.Single(i => i.Step == ChecklistStep.ConnectCrm).ShouldBe(new ChecklistItem(ChecklistStep.ConnectCrm, true, true));
    }

    [Fact]
    public async Task Test_connection_sends_a_signed_ping_the_receiver_verifies_with_the_secret_shown_once()
    {
        var secret = (await ConnectWebhookAsync(receiver.Url)).Generated[WebhookConnector.SecretSetting];

        var before = await app.SendAsync("acme", new TestCrmConnectionCommand(), manager);
        before.Result!.Kind.ShouldBe(CrmResultKind.BadCredentials);
        before.Result.Reason.ShouldNotBeNull().ShouldNotContain(secret);

        receiver.Secret = secret;
        var after = await app.SendAsync("acme", new TestCrmConnectionCommand(), manager);
        after.Result!.Succeeded.ShouldBeTrue();
        receiver.Deliveries.ShouldHaveSingleItem().Type.ShouldBe("ping");
    }

    [Fact]
    public async Task Editing_the_same_webhook_keeps_its_connection_and_secret_tests_it_and_queues_nothing()
    {
        var first = await ConnectWebhookAsync(receiver.Url);
        receiver.Secret = first.Generated[WebhookConnector.SecretSetting];
        var id = (await StoredAsync(acme))!.ConnectionId;
        await using var other = await FakeWebhookReceiver.StartNewAsync(receiver.Secret);
        app.Jobs.Clear();

        var edit = await ConnectWebhookAsync(other.Url);

        edit.Connected.ShouldBeTrue();
        edit.Tested.ShouldBeTrue();
        edit.Generated.ShouldBeEmpty();
        edit.Switched.ShouldBeFalse();
        other.Deliveries.ShouldHaveSingleItem().Type.ShouldBe("ping");
        var stored = (await StoredAsync(acme))!;
        stored.ConnectionId.ShouldBe(id);
        stored.Settings[WebhookConnector.UrlSetting].ShouldBe(other.Url);
        Queued.ShouldBeEmpty();

        // A new secret on request: shown once, and the receiver that still has the old one refuses the test.
        var rotated = await ConnectWebhookAsync(other.Url, newSecrets: true);
        rotated.Generated[WebhookConnector.SecretSetting].ShouldNotBe(receiver.Secret);
        (await app.SendAsync("acme", new TestCrmConnectionCommand(), manager)).Result!.Succeeded.ShouldBeFalse();
        (await StoredAsync(acme))!.ConnectionId.ShouldBe(id);
    }

    [Fact]
    public async Task An_edit_the_receiver_refuses_is_not_saved_and_says_why()
    {
        await ConnectWebhookAsync(receiver.Url);
        await using var other = await FakeWebhookReceiver.StartNewAsync("whsec_" + Convert.ToBase64String(new byte[32]));

        var refused = await ConnectWebhookAsync(other.Url);

        refused.Connected.ShouldBeFalse();
        refused.Refused!.Kind.ShouldBe(CrmResultKind.BadCredentials);
        refused.Refused.Reason.ShouldNotBeNullOrWhiteSpace();
        (await StoredAsync(acme))!.Settings[WebhookConnector.UrlSetting].ShouldBe(receiver.Url);
    }

    [Fact]
    public async Task Switching_crm_makes_a_new_connection_that_pushes_from_then_on_and_history_is_sent_on_request()
    {
        await ConnectWebhookAsync(receiver.Url);
        var webhook = (await StoredAsync(acme))!.ConnectionId;
        app.Jobs.Clear();

        var switched = await ConnectMailchimpAsync(FakeMailchimp.ApiKey);

        switched.ShouldSatisfyAllConditions(() => switched.Connected.ShouldBeTrue(), () => switched.Switched.ShouldBeTrue(), () => switched.QueuedWaiting.ShouldBeFalse());
        var stored = (await StoredAsync(acme))!;
        stored.ConnectionId.ShouldNotBe(webhook);
        stored.Kind.ShouldBe(MailchimpConnector.Kind);
        stored.Settings.ShouldBeEmpty();
        stored.SecretHints[MailchimpConnector.ApiKeySetting].ShouldBe("…us21");
        Queued.ShouldBeEmpty();

        (await app.SendAsync("acme", new SendCrmHistoryCommand(), manager)).ShouldBeTrue();
        Queued.ShouldHaveSingleItem().ShouldBe(new QueueCrmPushesCommand(acme, CrmQueueReason.History));
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_with_the_crms_reason_and_nothing_is_stored()
    {
        var refused = await ConnectMailchimpAsync(CrmAppFactory.WrongMailchimpKey);

        refused.Connected.ShouldBeFalse();
        refused.Refused!.Kind.ShouldBe(CrmResultKind.BadCredentials);
        refused.Refused.Reason.ShouldBe("Mailchimp answered 401 Unauthorized: API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        (await StoredAsync(acme)).ShouldBeNull();
        Queued.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not a url", "Settings[url]", "Enter a full web address, like https://example.com/hook.")]
    [InlineData("", "Settings[url]", "Fill in this setting.")]
    [InlineData("ftp://example.com/hook", "Settings[url]", "Enter a full web address, like https://example.com/hook.")]
    [InlineData("https://example.com/\u0007hook", "Settings[url]", "A setting can't contain line breaks or invisible control characters.")]
    public async Task A_bad_webhook_address_is_refused_beside_its_field(string url, string property, string message)
    {
        var refused = await Should.ThrowAsync<ValidationException>(() => ConnectWebhookAsync(url));

        var error = refused.Errors.ShouldHaveSingleItem();
        error.PropertyName.ShouldBe(property);
        error.ErrorMessage.ShouldBe(message);
        (await StoredAsync(acme)).ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_crm_a_huge_value_and_a_malformed_key_are_refused_with_their_reasons()
    {
        (await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new ConnectCrmCommand("salesforce'; drop", null), manager)))
            .Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Choose a CRM from the list.");
        (await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new ConnectCrmCommand(null, null), manager)))
            .Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("Kind");
        (await Should.ThrowAsync<ValidationException>(() => ConnectWebhookAsync("https://example.com/" + new string('a', 5000))))
            .Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Keep each setting to 2000 characters.");
        var malformed = await Should.ThrowAsync<ValidationException>(() => ConnectMailchimpAsync("pk key with spaces ☃"));
        malformed.Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("Settings[apiKey]");
        (await Should.ThrowAsync<ValidationException>(() => ConnectMailchimpAsync("")))
            .Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Fill in this setting.");
    }

    [Fact]
    public async Task A_key_left_empty_keeps_the_stored_one_and_another_crms_key_is_never_kept()
    {
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);
        var id = (await StoredAsync(acme))!.ConnectionId;

        (await ConnectMailchimpAsync("")).Connected.ShouldBeTrue();
        (await StoredAsync(acme))!.ConnectionId.ShouldBe(id);
        app.MailchimpKeysUsed[^1].ShouldBe(FakeMailchimp.ApiKey);

        await ConnectWebhookAsync(receiver.Url);
        (await Should.ThrowAsync<ValidationException>(() => ConnectMailchimpAsync(""))).Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Fill in this setting.");
    }

    [Fact]
    public async Task Disconnecting_drops_the_secrets_and_a_later_connect_is_a_new_connection_that_pushes_what_waited()
    {
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);
        var first = (await StoredAsync(acme))!.ConnectionId;

        (await app.SendAsync("acme", new DisconnectCrmCommand(), manager)).ShouldBeTrue();
        var stored = (await StoredAsync(acme))!;
        stored.ShouldSatisfyAllConditions(() => stored.Active.ShouldBeFalse(), () => stored.ProtectedSecrets.ShouldBeNull(), () => stored.SecretHints.ShouldBeEmpty());
        (await app.SendAsync("acme", new TestCrmConnectionCommand(), manager)).NotConnected.ShouldBeTrue();
        (await app.SendAsync("acme", new SendCrmHistoryCommand(), manager)).ShouldBeFalse();
        (await app.SendAsync("acme", new DisconnectCrmCommand(), manager)).ShouldBeFalse();
        (await app.SendAsync("acme", new GetOverviewQuery(), manager)).Checklist.Single(i => i.Step == ChecklistStep.ConnectCrm).Done.ShouldBeFalse();
        app.Jobs.Clear();

        await Should.ThrowAsync<ValidationException>(() => ConnectMailchimpAsync("")); // the key is gone: asked for again
        (await ConnectMailchimpAsync(FakeMailchimp.ApiKey)).QueuedWaiting.ShouldBeTrue();
        (await StoredAsync(acme))!.ConnectionId.ShouldNotBe(first);
        Queued.ShouldHaveSingleItem().Why.ShouldBe(CrmQueueReason.Connected);
    }

    [Fact]
    public async Task One_tenants_credentials_never_open_or_work_in_another_tenant()
    {
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);
        var acmeConnection = (await StoredAsync(acme))!;
        var secrets = app.Services.GetRequiredService<ICrmSecrets>();
        secrets.Unprotect(acme, acmeConnection.ProtectedSecrets!)![MailchimpConnector.ApiKeySetting].ShouldBe(FakeMailchimp.ApiKey);
        secrets.Unprotect(bravo, acmeConnection.ProtectedSecrets!).ShouldBeNull();

        // Bravo's row holding a copy of Acme's ciphertext: Bravo's calls carry no key.
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(bravo.ToString()))
        {
            session.Store(acmeConnection);
            await session.SaveChangesAsync();
        }

        var callsBefore = app.Mailchimp.Requests.Count;
        var bravoTest = await app.SendAsync("bravo", new TestCrmConnectionCommand(), Actor.Member(bravo, Guid.NewGuid(), TeamRole.Manager));
        bravoTest.Result!.Succeeded.ShouldBeFalse();
        bravoTest.Result.Reason.ShouldNotBeNull().ShouldContain("apiKey: Missing");
        app.Mailchimp.Requests.Count.ShouldBe(callsBefore, "without a key that opens, no call is made at all");
        (await app.SendAsync("bravo", new GetCrmConnectionQuery(), Actor.Member(bravo, Guid.NewGuid(), TeamRole.Manager))).Current!.SecretHints.ShouldNotBeEmpty();
        (await app.SendAsync("acme", new TestCrmConnectionCommand(), manager)).Result!.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Staff_and_another_stores_manager_may_not_see_or_change_the_connection()
    {
        var staff = Actor.Member(acme, Guid.NewGuid(), TeamRole.Staff);
        var otherManager = Actor.Member(bravo, Guid.NewGuid(), TeamRole.Manager);
        foreach (var actor in new[] { staff, otherManager })
        {
            await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new GetCrmConnectionQuery(), actor));
            await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new ConnectCrmCommand(WebhookConnector.Kind, null), actor));
            await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new DisconnectCrmCommand(), actor));
            await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new SendCrmHistoryCommand(), actor));
        }
    }

    [Fact]
    public async Task The_mapping_takes_our_fields_and_the_forms_questions_to_fields_of_the_chosen_list()
    {
        var question = new CustomQuestion("shoe-size", QuestionKind.ShortText, FieldRequirement.Optional, new(new Dictionary<string, string> { ["en"] = "Shoe size", ["nl"] = "Schoenmaat" }), []);
        (await app.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme") with { Questions = [question] }))).Published.ShouldNotBeNull();
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);

        var view = await app.SendAsync("acme", new GetCrmConnectionQuery(), manager);
        view.Sources.Select(s => s.Key).ShouldBe([.. CrmSources.BuiltIn, "q:shoe-size"]);
        var catalog = (await app.SendAsync("acme", new GetCrmCatalogQuery(), manager)).ShouldNotBeNull();
        catalog.Catalog!.Lists.Select(l => l.Id).ShouldBe([CrmAppFactory.NewsletterList, CrmAppFactory.VipList]);
        catalog.Catalog.Fields.ShouldBeEmpty("Mailchimp's merge fields belong to an audience, and none is chosen yet");

        // The list and the fields in one go: the fields are checked against the chosen list's merge fields.
        var saved = await app.SendAsync("acme", new SaveCrmMappingCommand(new Dictionary<string, string?> { ["firstName"] = "FNAME", ["lastName"] = "", ["q:shoe-size"] = "SHOE", ["q:gone"] = "LNAME" }, CrmAppFactory.VipList), manager);
        saved.Saved.ShouldBeTrue();
        var stored = (await StoredAsync(acme))!;
        stored.Mapping.ShouldBe([new CrmFieldMapping("firstName", "FNAME"), new CrmFieldMapping("q:shoe-size", "SHOE")]);
        stored.Settings[MailchimpConnector.ListSetting].ShouldBe(CrmAppFactory.VipList);
        (await app.SendAsync("acme", new GetCrmCatalogQuery(), manager))!.Catalog!.Fields.Select(f => f.Key).ShouldContain("SHOE");

        // The newsletter has no SHOE: switching list with that mapping is refused.
        (await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new SaveCrmMappingCommand(new Dictionary<string, string?> { ["q:shoe-size"] = "SHOE" }, CrmAppFactory.NewsletterList), manager)))
            .Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("Targets[q:shoe-size]");

        // Editing the key later keeps the mapping and the list.
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);
        (await StoredAsync(acme))!.Mapping.Count.ShouldBe(2);
        (await StoredAsync(acme))!.Settings[MailchimpConnector.ListSetting].ShouldBe(CrmAppFactory.VipList);
    }

    /// <summary>
    /// A key replaced on the CRM page ("Save and test") works as a passing "Test connection" does: the
    /// sign-ups this connection's CRM refused for the old key are sent again; saving with nothing refused queues nothing more.
    /// </summary>
    [Fact]
    public async Task New_credentials_that_pass_their_test_send_again_what_the_crm_refused_for_the_old_ones()
    {
        (await ConnectHubSpotAsync()).Connected.ShouldBeTrue();
        var connection = (await StoredAsync(acme))!.ConnectionId;
        (await ConnectHubSpotAsync()).RequeuedRefused.ShouldBeFalse();
        var refused = await app.AddSignUpAtAsync("acme", DateTimeOffset.UtcNow.AddMinutes(-5));
        await app.PushFailedAsync("acme", refused, connection, new CrmProblem(CrmProblems.Answered, HubSpotConnector.Kind, Status: 401), DateTimeOffset.UtcNow.AddMinutes(-4));
        app.Jobs.Clear();

        var saved = await ConnectHubSpotAsync();

        saved.Connected.ShouldBeTrue();
        saved.Tested.ShouldBeTrue();
        saved.RequeuedRefused.ShouldBeTrue();
        Queued.ShouldHaveSingleItem().ShouldBe(new QueueCrmPushesCommand(acme, CrmQueueReason.CredentialsFixed));
    }

    [Fact]
    public async Task A_field_the_crm_does_not_have_a_read_only_one_or_a_field_taken_twice_is_refused()
    {
        (await ConnectHubSpotAsync()).Connected.ShouldBeTrue();

        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new SaveCrmMappingCommand(
            new Dictionary<string, string?> { ["firstName"] = "NOPE", ["lastName"] = "hs_object_id", ["phone"] = "phone", ["store"] = "phone" }, null), manager));

        refused.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ShouldBe(
        [
            ("Targets[firstName]", "Choose a field from the list."),
            ("Targets[lastName]", "Choose a field from the list."),
            ("Targets[store]", "Each CRM field can take one of your fields only."),
        ]);
        (await StoredAsync(acme))!.Mapping.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_list_the_crm_does_not_have_or_no_list_is_refused()
    {
        await ConnectMailchimpAsync(FakeMailchimp.ApiKey);

        (await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new SaveCrmMappingCommand(new Dictionary<string, string?> { ["firstName"] = "FNAME" }, "l-gone"), manager)))
            .Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ShouldBe([("Targets[firstName]", "Choose a field from the list."), ("ListId", "Choose a list from the CRM's lists.")]);
        (await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new SaveCrmMappingCommand(null, null), manager)))
            .Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("ListId");
        (await StoredAsync(acme))!.Mapping.ShouldBeEmpty();
        (await StoredAsync(acme))!.Settings.ShouldNotContainKey(MailchimpConnector.ListSetting);
    }

    [Fact]
    public async Task A_passing_test_ends_the_failing_state_and_a_failing_one_does_not()
    {
        var secret = (await ConnectWebhookAsync(receiver.Url)).Generated[WebhookConnector.SecretSetting];
        var connection = (await StoredAsync(acme))!;
        await using (var scope = await StoreScope.EnterAsync(app, "acme"))
        {
            await scope.ServiceProvider.GetRequiredService<CrmHealth>().FailedAsync(connection, default);
        }

        (await app.SendAsync("acme", new GetCrmConnectionQuery(), manager)).Current!.Failing.ShouldBeTrue();
        (await app.SendAsync("acme", new TestCrmConnectionCommand(), manager)).Result!.Succeeded.ShouldBeFalse();
        (await app.SendAsync("acme", new GetCrmConnectionQuery(), manager)).Current!.Failing.ShouldBeTrue("a failed test is no recovery");

        receiver.Secret = secret;
        (await app.SendAsync("acme", new TestCrmConnectionCommand(), manager)).Result!.Succeeded.ShouldBeTrue();

        (await app.SendAsync("acme", new GetCrmConnectionQuery(), manager)).Current!.Failing.ShouldBeFalse();
    }
}
