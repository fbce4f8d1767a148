using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Contacts.WithdrawConsent;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Hangfire;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Crm;

public sealed class CrmPushApp : ClockedAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Crm:AllowPrivateTargets", "true"), new("Crm:MaxAttempts", "3"), new("Crm:TimeoutSeconds", "2")];
}

/// <summary>
/// One push, run as the job runs it (the command, as the system, in the store's scope), against a
/// real webhook receiver on 127.0.0.1 that checks every signature with its own code.
/// </summary>
public class PushSignUpToCrmTests(CrmPushApp app) : IClassFixture<CrmPushApp>, IAsyncLifetime
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private FakeWebhookReceiver receiver = null!;
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

        await app.AddMemberAsync("demo", "owner@demo.example", Domain.Accounts.TeamRole.Owner);
        await app.AddMemberAsync("demo", "manager@demo.example", Domain.Accounts.TeamRole.Manager);
        receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private Task PushAsync(Guid signUpId, int attempt = 1, string store = "demo", long trigger = 0) =>
        PushAsync(store == "demo" ? tenantId : null, store, signUpId, attempt, trigger);

    private async Task PushAsync(Guid? knownTenant, string store, Guid signUpId, int attempt, long trigger)
    {
        var tenant = knownTenant ?? (await app.TenantAsync(store)).Id;
        await app.SendAsync(store, new PushSignUpToCrmCommand(tenant, signUpId, trigger, attempt));
    }

    private async Task<SignUpSummary> RowAsync(Guid signUpId, string store = "demo")
    {
        var tenant = (await app.TenantAsync(store)).Id;
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.ToString());
        return (await session.LoadAsync<SignUpSummary>(signUpId))!;
    }

    private async Task<string[]> EventsOf(Guid streamId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data.GetType().Name).ToArray();
    }

    private long ScheduledCount() => app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount();

    private async Task<int> MailsAsync(string subjectPart)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<QueuedMail>().ToListAsync()).Count(m => m.Mail.Subject.Contains(subjectPart, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_up_reaches_the_webhook_once_signed_with_the_contact_s_current_details_and_consent()
    {
        var connectionId = await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (signUpId, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", "+31612345678", "Ann", "de Vries", emailConsent: true));

        await PushAsync(signUpId);
        await PushAsync(signUpId); // the job ran twice: the push is made once

        var delivery = receiver.Deliveries.ShouldHaveSingleItem();
        delivery.Id.ShouldBe(PushSignUpToCrmHandler.DeliveryId(connectionId, signUpId, 0));
        delivery.Type.ShouldBe("contact.signed_up");
        delivery.Data.GetProperty("signUpId").GetGuid().ShouldBe(signUpId);
        delivery.Data.GetProperty("contactId").GetGuid().ShouldBe(link.ContactId!.Value);
        delivery.Data.GetProperty("email").GetString().ShouldBe("ann@example.com");
        delivery.Data.GetProperty("firstName").GetString().ShouldBe("Ann");
        delivery.Data.GetProperty("consent").GetProperty("email").GetProperty("given").GetBoolean().ShouldBeTrue();
        delivery.Data.GetProperty("consent").GetProperty("sms").GetProperty("given").GetBoolean().ShouldBeFalse();
        delivery.Data.GetProperty("late").GetBoolean().ShouldBeFalse();

        var row = await RowAsync(signUpId);
        row.CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        row.CrmConnectionId.ShouldBe(connectionId);
        row.CrmAttempts.ShouldBe(1);
        (await EventsOf(signUpId)).Count(e => e == nameof(SignUpPushedToCrm)).ShouldBe(1);
    }

    [Fact]
    public async Task A_store_without_a_connection_keeps_its_sign_ups_waiting_and_pushes_them_once_it_connects()
    {
        var (first, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var (second, _) = await app.SignUpAndLinkAsync("demo", SignUp("bob@example.com"));
        await PushAsync(first);
        (await RowAsync(first)).CrmStatus.ShouldBe(CrmPushStatus.Waiting);
        receiver.Requests.ShouldBeEmpty();

        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var queuedBefore = monitoring.EnqueuedCount("crm");
        await app.SendAsync("demo", new QueueCrmPushesCommand(tenantId, CrmQueueReason.Connected));
        monitoring.EnqueuedCount("crm").ShouldBe(queuedBefore + 1); // one batch for both
        (await EventsOf(first)).ShouldContain(nameof(SignUpQueuedForCrm));
        (await EventsOf(second)).ShouldContain(nameof(SignUpQueuedForCrm));

        await PushAsync(first);
        await PushAsync(second);
        receiver.Deliveries.Select(d => d.Data.GetProperty("signUpId").GetGuid()).ShouldBe([first, second], ignoreOrder: true);
    }

    /// <summary>
    /// A store that connects (or sends its history) while its kiosk takes sign-ups: the job takes the
    /// sign-ups that waited for a CRM, and leaves the ones the contact-linking subscription has not
    /// linked yet, and those received after it started, to the subscription. It used to take them too:
    /// under a steady load it chased the kiosk for as long as the load lasted (49 s in a bench run),
    /// raced each link for the sign-up's stream and pushed sign-ups before their contact existed.
    /// </summary>
    [Theory]
    [InlineData(CrmQueueReason.Connected)]
    [InlineData(CrmQueueReason.History)]
    public async Task Connecting_while_the_kiosk_takes_sign_ups_leaves_the_ones_not_linked_yet_and_the_later_ones_to_the_subscription(CrmQueueReason why)
    {
        var (waited, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var notLinkedYet = (await app.SendAsync("demo", SignUp("bob@example.com"))).SignUpId;
        var later = await app.AddSignUpAtAsync("demo", app.Clock.UtcNow.AddSeconds(1));
        await app.SendAsync("demo", new Application.Contacts.LinkSignUpToContact.LinkSignUpToContactCommand(later));
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var queuedBefore = monitoring.EnqueuedCount("crm");

        await app.SendAsync("demo", new QueueCrmPushesCommand(tenantId, why));

        (await EventsOf(waited)).ShouldContain(nameof(SignUpQueuedForCrm));
        (await EventsOf(notLinkedYet)).ShouldBe([nameof(SignUpSubmitted)]);
        (await EventsOf(later)).ShouldNotContain(nameof(SignUpQueuedForCrm));
        monitoring.EnqueuedCount("crm").ShouldBe(queuedBefore + 1);
        await PushAsync(waited);
        receiver.Deliveries.Select(d => d.Data.GetProperty("signUpId").GetGuid()).ShouldBe([waited]);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_sign_up_on_a_later_attempt_with_the_same_delivery_id()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (signUpId, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        receiver.FailNext(HttpFault.ServerError);
        receiver.FailNext(HttpFault.TooManyRequests);
        receiver.RetryAfterSeconds = 120;
        var scheduledBefore = ScheduledCount();

        await PushAsync(signUpId, attempt: 1);
        var retrying = await RowAsync(signUpId);
        retrying.CrmStatus.ShouldBe(CrmPushStatus.Retrying);
        retrying.CrmReason.ShouldNotBeNull().ShouldContain("500");
        retrying.CrmNextAttemptAt.ShouldNotBeNull();
        ScheduledCount().ShouldBe(scheduledBefore + 1);

        await PushAsync(signUpId, attempt: 2);
        var throttled = await RowAsync(signUpId);
        throttled.CrmReason.ShouldNotBeNull().ShouldContain("429");
        (throttled.CrmNextAttemptAt!.Value - throttled.CrmUpdatedAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(120)); // Retry-After honoured

        await PushAsync(signUpId, attempt: 3);
        (await RowAsync(signUpId)).CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        receiver.Requests.Select(r => r.Header("webhook-id")).Distinct().ShouldHaveSingleItem();
        receiver.Deliveries.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task After_the_last_attempt_the_sign_up_shows_failed_with_the_crm_s_reason_and_the_job_fails()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (signUpId, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        receiver.FailNext(HttpFault.ServerError);
        var scheduledBefore = ScheduledCount();

        var failure = await Should.ThrowAsync<CrmPushGaveUpException>(() => PushAsync(signUpId, attempt: 3));

        var row = await RowAsync(signUpId);
        row.CrmStatus.ShouldBe(CrmPushStatus.Failed);
        row.CrmNextAttemptAt.ShouldBeNull();
        row.CrmReason.ShouldBe(failure.Message);
        row.CrmReason.ShouldNotBeNull().ShouldContain("500");
        row.CrmReason!.ShouldNotContain("ann@example.com");
        ScheduledCount().ShouldBe(scheduledBefore);
    }

    [Fact]
    public async Task Wrong_credentials_fail_at_once_without_retries_and_the_owner_is_mailed_once_then_once_on_recovery()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, "whsec_" + Convert.ToBase64String(new byte[32])); // not the receiver's secret: 401
        var (first, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var (second, _) = await app.SignUpAndLinkAsync("demo", SignUp("bob@example.com"));

        var scheduledBefore = ScheduledCount();
        await Should.ThrowAsync<CrmPushGaveUpException>(() => PushAsync(first));
        await Should.ThrowAsync<CrmPushGaveUpException>(() => PushAsync(second));

        (await RowAsync(first)).CrmStatus.ShouldBe(CrmPushStatus.Failed);
        (await RowAsync(first)).CrmReason.ShouldNotBeNull().ShouldContain("401");
        ScheduledCount().ShouldBe(scheduledBefore);
        (await MailsAsync("not reaching your CRM")).ShouldBe(1);

        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (third, _) = await app.SignUpAndLinkAsync("demo", SignUp("cy@example.com"));
        await PushAsync(third);
        await PushAsync(first);
        (await MailsAsync("not reaching your CRM")).ShouldBe(1);
        (await MailsAsync("reach your CRM again")).ShouldBe(0); // a new connection starts healthy: nothing to recover from
    }

    [Fact]
    public async Task Pushes_that_start_failing_and_recover_mail_the_owner_once_each_way()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var signUps = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            signUps.Add((await app.SignUpAndLinkAsync("demo", SignUp($"shopper{i}@example.com"))).SignUpId);
        }

        receiver.FailNext(HttpFault.Unavailable, times: 2);
        await PushAsync(signUps[0]);
        await PushAsync(signUps[1]);
        await PushAsync(signUps[2]);
        await PushAsync(signUps[0], attempt: 2);

        (await MailsAsync("not reaching your CRM")).ShouldBe(1); // to the one Owner, not the Manager, and once
        (await MailsAsync("reach your CRM again")).ShouldBe(1);
    }

    [Fact]
    public async Task The_payload_says_whether_the_consent_is_a_new_act_so_a_receiver_never_resubscribes_on_a_detail_change()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (first, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", emailConsent: true));
        await PushAsync(first);
        var (second, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", firstName: "Annie"));
        await PushAsync(second);
        await PushAsync(first, trigger: 9); // a retry of the first sign-up, later

        (await app.SendAsync("demo", new WithdrawConsentCommand(link.ContactId!.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        await PushAsync(second, trigger: 43);
        await PushAsync(second, trigger: 44);

        static System.Text.Json.JsonElement Email(WebhookDelivery d) => d.Data.GetProperty("consent").GetProperty("email");
        receiver.Deliveries.Select(d => (Email(d).GetProperty("given").GetBoolean(), Email(d).GetProperty("isNew").GetBoolean())).ShouldBe(
        [
            (true, true), // the sign-up with consent
            (true, false), // a detail change: told already
            (true, false), // a retry: told already
            (false, true), // the withdrawal
            (false, false), // pushed again: told already
        ]);
        receiver.Deliveries[1].Data.GetProperty("firstName").GetString().ShouldBe("Annie");
    }

    [Fact]
    public async Task A_withdrawn_consent_is_pushed_as_the_contact_is_now_under_a_new_delivery_id()
    {
        var connectionId = await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var (signUpId, link) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", emailConsent: true));
        await PushAsync(signUpId);

        (await app.SendAsync("demo", new WithdrawConsentCommand(link.ContactId!.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        await PushAsync(signUpId, trigger: 42);

        receiver.Deliveries.Count.ShouldBe(2);
        var again = receiver.Deliveries[^1];
        again.Id.ShouldBe(PushSignUpToCrmHandler.DeliveryId(connectionId, signUpId, 42));
        again.Data.GetProperty("consent").GetProperty("email").GetProperty("given").GetBoolean().ShouldBeFalse();
        again.Data.GetProperty("consent").GetProperty("email").GetProperty("withdrawnAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task A_sign_up_from_a_tablet_s_offline_queue_is_flagged_late_with_its_fill_in_time()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var filledAt = app.Clock.UtcNow - TimeSpan.FromHours(3);
        var late = SignUp("ann@example.com");
        late.FilledAt = filledAt;
        var (signUpId, _) = await app.SignUpAndLinkAsync("demo", late);

        await PushAsync(signUpId);

        var data = receiver.Deliveries.ShouldHaveSingleItem().Data;
        data.GetProperty("late").GetBoolean().ShouldBeTrue();
        data.GetProperty("filledAt").GetDateTimeOffset().ShouldBe(filledAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task One_store_s_credentials_are_never_used_for_another_store_s_sign_ups()
    {
        const string otherSecret = "whsec_b3RoZXIgc3RvcmUncyBzZWNyZXQga2V5IDEyMzQ1Njc4";
        await using var otherReceiver = await FakeWebhookReceiver.StartNewAsync(otherSecret);
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        await app.ConnectWebhookAsync("other", otherReceiver.Url, otherSecret);
        var (demoSignUp, _) = await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com"));
        var (otherSignUp, _) = await app.SignUpAndLinkAsync("other", SignUp("bob@example.com"));

        await PushAsync(demoSignUp);
        await PushAsync(null, "other", otherSignUp, 1, 0);

        receiver.Deliveries.ShouldHaveSingleItem().Data.GetProperty("signUpId").GetGuid().ShouldBe(demoSignUp);
        otherReceiver.Deliveries.ShouldHaveSingleItem().Data.GetProperty("signUpId").GetGuid().ShouldBe(otherSignUp);

        // The other store's ciphertext copied into this store's connection does not open here.
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession((await app.TenantAsync("other")).Id.ToString()))
        {
            var theirs = (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId))!;
            app.Services.GetRequiredService<ICrmSecrets>().Unprotect(tenantId, theirs.ProtectedSecrets!).ShouldBeNull();
        }
    }

    [Fact]
    public async Task An_erased_shopper_s_sign_up_and_an_import_kept_out_of_the_crm_are_not_pushed()
    {
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            var imported = Guid.NewGuid();
            session.Events.StartStream(imported, new SignUpSubmitted(
                imported, 1, "en", null, app.Clock.UtcNow, app.Clock.UtcNow, new Shopper("Ann", null, "ann@example.com", null, null, null), [], null, null, Source: SignUpSource.Import, ImportId: Guid.NewGuid(), PushToCrm: false));
            await session.SaveChangesAsync();
            await PushAsync(imported);
            (await RowAsync(imported)).CrmStatus.ShouldBe(CrmPushStatus.NotSent);
        }

        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void The_back_off_doubles_per_attempt_within_its_jitter_is_capped_and_never_shorter_than_retry_after()
    {
        var options = new CrmOptions { FirstRetryDelaySeconds = 10, MaxRetryDelaySeconds = 3600 };
        PushSignUpToCrmHandler.Delay(options, 1, null, 0.5).ShouldBe(TimeSpan.FromSeconds(10));
        PushSignUpToCrmHandler.Delay(options, 4, null, 0.5).ShouldBe(TimeSpan.FromSeconds(80));
        PushSignUpToCrmHandler.Delay(options, 4, null, 0).ShouldBe(TimeSpan.FromSeconds(64));
        PushSignUpToCrmHandler.Delay(options, 4, null, 1).ShouldBe(TimeSpan.FromSeconds(96));
        PushSignUpToCrmHandler.Delay(options, 30, null, 0.5).ShouldBe(TimeSpan.FromSeconds(3600));
        PushSignUpToCrmHandler.Delay(options, 1, TimeSpan.FromMinutes(5), 0.5).ShouldBe(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void The_dashboard_names_a_push_by_short_ids_only()
    {
        var signUpId = Guid.Parse("1a2b3c4d-0000-4000-8000-000000000001");
        new PushSignUpToCrmCommand(Guid.NewGuid(), signUpId, Attempt: 2, Store: "acme", Crm: "hubspot").ToString().ShouldBe("Push sign-up 1a2b3c4d… of acme to HubSpot (attempt 2)");
        new PushSignUpToCrmCommand(Guid.Parse("00c0ffee-0000-4000-8000-000000000001"), signUpId).ToString().ShouldBe("Push sign-up 1a2b3c4d… of store 00c0ffee to its CRM (attempt 1)");
        new PushSignUpToCrmCommand(Guid.NewGuid(), signUpId, Crm: WebhookConnector.Kind).ToString().ShouldEndWith("to the webhook (attempt 1)");
    }
}
