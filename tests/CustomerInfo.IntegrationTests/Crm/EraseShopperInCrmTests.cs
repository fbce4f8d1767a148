using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// A shopper's explicit erasure reaches the CRM they were pushed to, through the real connectors and
/// the loopback fakes; the platform's own erasures never delete there.
/// </summary>
public class EraseShopperInCrmTests(CrmAppFactory app) : IClassFixture<CrmAppFactory>, IAsyncLifetime
{
    private const string Secret = "whsec_ZXJhc2UgdGVzdCBzZWNyZXQgMTIzNDU2Nzg5MDEyMw==";
    private readonly string store = "erase" + Guid.NewGuid().ToString("N")[..8];

    // The fakes live as long as the class: each test has an audience of its own (an erased address stays forgotten in its list).
    private readonly string list = "l-" + Guid.NewGuid().ToString("N")[..8];
    private Guid tenantId;
    private Actor manager = null!;

    public async Task InitializeAsync()
    {
        app.Jobs.Clear();
        tenantId = await app.AddStoreAsync(store);
        manager = Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Manager);
        app.Mailchimp.AddList(list, "Erasure test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Guid> ConnectMailchimpAsync() => app.ConnectAsync(
        store, MailchimpConnector.Kind, new Dictionary<string, string> { [MailchimpConnector.ListSetting] = list }, new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = FakeMailchimp.ApiKey });

    /// <summary>Quintessa signs up, is linked, and the push job runs: she is in the CRM. Returns her contact.</summary>
    private async Task<Guid> PushedShopperAsync()
    {
        var (signUpId, link) = await app.SignUpAndLinkAsync(store, Quintessa());
        await app.SendAsync(store, new PushSignUpToCrmCommand(tenantId, signUpId));
        return link.ContactId!.Value;
    }

    private IReadOnlyList<EraseShopperInCrmCommand> ErasureJobs => [.. app.Jobs.Enqueued.Where(j => j.Lane == JobLane.Crm).Select(j => j.Command).OfType<EraseShopperInCrmCommand>()];

    private async Task<CrmErasureRequest?> RequestAsync(Guid contactId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return await session.LoadAsync<CrmErasureRequest>(contactId);
    }

    [Fact]
    public async Task A_managers_erasure_deletes_the_member_in_mailchimp_for_good_and_keeps_no_readable_copy_meanwhile()
    {
        await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        app.Mailchimp.Member(list, Email).ShouldNotBeNull();

        (await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager)).Found.ShouldBeTrue();

        var job = ErasureJobs.ShouldHaveSingleItem();
        job.ShouldBe(new EraseShopperInCrmCommand(tenantId, contactId, 1, MailchimpConnector.Kind));
        job.ToString().ShouldNotContain("quintessa", Case.Insensitive);
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty("the email kept for the CRM's call is encrypted");
        (await RequestAsync(contactId))!.Status.ShouldBe(CrmErasureStatus.Pending);

        await app.SendAsync(store, job);

        app.Mailchimp.Member(list, Email).ShouldBeNull();
        app.Mailchimp.List(list).Forgotten.ShouldContain(FakeMailchimp.Hash(Email));
        app.Mailchimp.Requests.ShouldContain(r => r.Method == "POST" && r.PathAndQuery == $"/us21/3.0/lists/{list}/members/{FakeMailchimp.Hash(Email)}/actions/delete-permanent");
        var done = (await RequestAsync(contactId))!;
        done.ShouldSatisfyAllConditions(() => done.Status.ShouldBe(CrmErasureStatus.Erased), () => done.ProtectedIdentity.ShouldBeNull(), () => done.FinishedAt.ShouldNotBeNull());
        (await app.SendAsync(store, new ListCrmErasuresQuery(), manager)).ShouldHaveSingleItem().Status.ShouldBe(CrmErasureStatus.Erased);

        // The job run twice: one call only.
        var calls = app.Mailchimp.Requests.Count;
        await app.SendAsync(store, job);
        app.Mailchimp.Requests.Count.ShouldBe(calls);
    }

    [Fact]
    public async Task HubSpot_gets_a_gdpr_delete_by_email_and_blocks_the_address()
    {
        await app.ConnectAsync(store, HubSpotConnector.Kind, new Dictionary<string, string>(), new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = app.HubSpot.Token });
        var contactId = await PushedShopperAsync();
        app.HubSpot.Contact(Email).ShouldNotBeNull();

        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        await app.SendAsync(store, ErasureJobs.ShouldHaveSingleItem());

        app.HubSpot.Contact(Email).ShouldBeNull();
        app.HubSpot.IsBlocked(Email).ShouldBeTrue();
        (await RequestAsync(contactId))!.Status.ShouldBe(CrmErasureStatus.Erased);
    }

    [Fact]
    public async Task A_webhook_receives_a_signed_contact_erased_event()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync(store, receiver.Url, Secret);
        var contactId = await PushedShopperAsync();

        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        await app.SendAsync(store, ErasureJobs.ShouldHaveSingleItem());

        var erased = receiver.Deliveries[^1];
        erased.Id.ShouldBe("erase_" + contactId.ToString("N"));
        erased.Type.ShouldBe("contact.erased");
        erased.Data.GetProperty("contactId").GetGuid().ShouldBe(contactId);
        erased.Data.GetProperty("email").GetString().ShouldBe(Email);
        (await RequestAsync(contactId))!.Status.ShouldBe(CrmErasureStatus.Erased);
    }

    [Fact]
    public async Task A_crm_that_is_down_is_tried_again_later_and_a_refusal_ends_failed_with_the_reason_and_nothing_kept()
    {
        var connectionId = await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        var first = ErasureJobs.ShouldHaveSingleItem();
        app.Jobs.Clear();

        app.Mailchimp.FailNext(HttpFault.ServerError);
        await app.SendAsync(store, first);

        var retry = ErasureJobs.ShouldHaveSingleItem();
        retry.Attempt.ShouldBe(2);
        var waiting = (await RequestAsync(contactId))!;
        waiting.ShouldSatisfyAllConditions(() => waiting.Status.ShouldBe(CrmErasureStatus.Pending), () => waiting.ProtectedIdentity.ShouldNotBeNull(), () => waiting.Reason.ShouldNotBeNull().ShouldContain("500"));
        await using (var scope = await StoreScope.EnterAsync(app, store))
        {
            (await scope.ServiceProvider.GetRequiredService<CrmHealth>().CurrentAsync(connectionId, default))!.Failing.ShouldBeTrue();
        }

        // The key is revoked meanwhile: Mailchimp refuses it, and the automatic retries stop.
        await SetMailchimpKeyAsync(CrmAppFactory.WrongMailchimpKey);

        await app.SendAsync(store, retry);

        var failed = (await RequestAsync(contactId))!;
        failed.ShouldSatisfyAllConditions(
            () => failed.Status.ShouldBe(CrmErasureStatus.Failed),
            () => failed.ProtectedIdentity.ShouldNotBeNull("a retry after the key is fixed must still find her"),
            () => failed.Reason.ShouldNotBeNull().ShouldContain("API Key Invalid"));
        ErasureJobs.Count.ShouldBe(1, "no automatic retry after wrong credentials");
        var row = (await app.SendAsync(store, new ListCrmErasuresQuery(), manager)).ShouldHaveSingleItem();
        row.ShouldSatisfyAllConditions(() => row.Status.ShouldBe(CrmErasureStatus.Failed), () => row.CanRetry.ShouldBeTrue(), () => row.Reason!.ShouldNotContain(Email));
        app.Mailchimp.Member(list, Email).ShouldNotBeNull("the retailer sees the failure on the CRM page");
    }

    [Fact]
    public async Task A_manager_retries_a_failed_erasure_once_the_key_is_fixed_and_it_reaches_the_crm()
    {
        await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        await SetMailchimpKeyAsync(CrmAppFactory.WrongMailchimpKey);
        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        await app.SendAsync(store, ErasureJobs.ShouldHaveSingleItem());
        (await RequestAsync(contactId))!.Status.ShouldBe(CrmErasureStatus.Failed);
        app.Jobs.Clear();

        await SetMailchimpKeyAsync(FakeMailchimp.ApiKey);
        (await app.SendAsync(store, new RetryCrmErasureCommand(contactId), manager)).ShouldBe(RetryCrmErasureOutcome.Queued);

        var job = ErasureJobs.ShouldHaveSingleItem();
        job.ShouldBe(new EraseShopperInCrmCommand(tenantId, contactId, 1, MailchimpConnector.Kind));
        app.Jobs.Enqueued.ShouldHaveSingleItem().Lane.ShouldBe(JobLane.Crm);
        (await RequestAsync(contactId))!.Status.ShouldBe(CrmErasureStatus.Pending);
        (await app.SendAsync(store, new RetryCrmErasureCommand(contactId), manager)).ShouldBe(RetryCrmErasureOutcome.NotFailed, "a second click while it runs queues nothing more");
        ErasureJobs.Count.ShouldBe(1);

        await app.SendAsync(store, job);

        var done = (await RequestAsync(contactId))!;
        done.ShouldSatisfyAllConditions(() => done.Status.ShouldBe(CrmErasureStatus.Erased), () => done.ProtectedIdentity.ShouldBeNull(), () => done.Attempts.ShouldBe(1));
        app.Mailchimp.Member(list, Email).ShouldBeNull();
        (await app.SendAsync(store, new RetryCrmErasureCommand(contactId), manager)).ShouldBe(RetryCrmErasureOutcome.NotFailed);
    }

    [Fact]
    public async Task A_manager_retries_all_failed_erasures_at_once_one_job_each_and_another_stores_are_never_touched()
    {
        // Another store with a failed erasure of its own, connected to the same CRM.
        var otherStore = "other" + Guid.NewGuid().ToString("N")[..8];
        var otherTenant = await app.AddStoreAsync(otherStore);
        var otherContact = Guid.NewGuid();
        var otherConnection = await app.ConnectAsync(otherStore, MailchimpConnector.Kind, new Dictionary<string, string> { [MailchimpConnector.ListSetting] = list }, new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = FakeMailchimp.ApiKey });
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(otherTenant.ToString()))
        {
            session.Store(new CrmErasureRequest { Id = otherContact, ConnectionId = otherConnection, Kind = MailchimpConnector.Kind, RecordId = "r-other", Status = CrmErasureStatus.Failed, Attempts = 5, RequestedBy = "manager", RequestedAt = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
        }

        await ConnectMailchimpAsync();
        var first = await PushedShopperAsync();
        var (secondSignUp, secondLink) = await app.SignUpAndLinkAsync(store, Bartholomeus());
        await app.SendAsync(store, new PushSignUpToCrmCommand(tenantId, secondSignUp));
        var second = secondLink.ContactId!.Value;
        await SetMailchimpKeyAsync(CrmAppFactory.WrongMailchimpKey);
        foreach (var contactId in new[] { first, second })
        {
            await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        }

        foreach (var job in ErasureJobs)
        {
            await app.SendAsync(store, job);
        }

        (await RequestAsync(first))!.Status.ShouldBe(CrmErasureStatus.Failed);
        (await RequestAsync(second))!.Status.ShouldBe(CrmErasureStatus.Failed);
        app.Jobs.Clear();
        await SetMailchimpKeyAsync(FakeMailchimp.ApiKey);

        (await app.SendAsync(store, new RetryFailedCrmErasuresCommand(), manager)).ShouldBe(new RetryFailedCrmErasuresResult(Queued: 2, CannotRetry: 0));

        ErasureJobs.ShouldBe([new(tenantId, first, 1, MailchimpConnector.Kind), new(tenantId, second, 1, MailchimpConnector.Kind)], ignoreOrder: true);
        app.Jobs.Enqueued.ShouldAllBe(j => j.Lane == JobLane.Crm);
        (await RequestAsync(first))!.Status.ShouldBe(CrmErasureStatus.Pending);
        (await app.SendAsync(store, new RetryFailedCrmErasuresCommand(), manager)).ShouldBe(new RetryFailedCrmErasuresResult(0, 0), "a second click while they run queues nothing more");
        ErasureJobs.Count.ShouldBe(2);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(otherTenant.ToString()))
        {
            (await session.LoadAsync<CrmErasureRequest>(otherContact))!.Status.ShouldBe(CrmErasureStatus.Failed, "another store's failed erasure is not touched");
        }

        foreach (var job in ErasureJobs)
        {
            await app.SendAsync(store, job);
        }

        (await RequestAsync(first))!.Status.ShouldBe(CrmErasureStatus.Erased);
        (await RequestAsync(second))!.Status.ShouldBe(CrmErasureStatus.Erased);
        app.Mailchimp.Member(list, Email).ShouldBeNull();
    }

    [Fact]
    public async Task Retrying_all_counts_the_failed_erasures_a_retry_cannot_reach_and_queues_none_of_them()
    {
        await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        var job = ErasureJobs.ShouldHaveSingleItem();
        app.Jobs.Clear();
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            var connection = (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId))!;
            session.Store(connection with { Active = false });
            await session.SaveChangesAsync();
        }

        await app.SendAsync(store, job);

        (await app.SendAsync(store, new RetryFailedCrmErasuresCommand(), manager)).ShouldBe(new RetryFailedCrmErasuresResult(0, 1));
        ErasureJobs.ShouldBeEmpty();
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync(store, new RetryFailedCrmErasuresCommand(), Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Staff)));
    }

    [Fact]
    public async Task A_refused_erasure_keeps_nothing_and_cannot_be_retried()
    {
        await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        var job = ErasureJobs.ShouldHaveSingleItem();
        app.Jobs.Clear();

        // Disconnected before the job ran: the connection the shopper was pushed to is gone.
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            var connection = (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId))!;
            session.Store(connection with { Active = false });
            await session.SaveChangesAsync();
        }

        await app.SendAsync(store, job);

        var failed = (await RequestAsync(contactId))!;
        failed.ShouldSatisfyAllConditions(() => failed.Status.ShouldBe(CrmErasureStatus.Failed), () => failed.ProtectedIdentity.ShouldBeNull());
        (await app.SendAsync(store, new ListCrmErasuresQuery(), manager)).ShouldHaveSingleItem().CanRetry.ShouldBeFalse();
        (await app.SendAsync(store, new RetryCrmErasureCommand(contactId), manager)).ShouldBe(RetryCrmErasureOutcome.CannotRetry);
        (await app.SendAsync(store, new RetryCrmErasureCommand(Guid.NewGuid()), manager)).ShouldBe(RetryCrmErasureOutcome.NotFound);
        ErasureJobs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Staff_cannot_retry_an_erasure()
    {
        var staff = Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Staff);

        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync(store, new RetryCrmErasureCommand(Guid.NewGuid()), staff));
    }

    [Fact]
    public async Task A_managers_erasure_reaches_klaviyo_as_a_deletion_job_by_email()
    {
        await app.ConnectAsync(store, KlaviyoConnector.Kind, new Dictionary<string, string>(), new Dictionary<string, string> { [KlaviyoConnector.ApiKeySetting] = app.Klaviyo.ApiKey });
        var contactId = await PushedShopperAsync();
        app.Klaviyo.Profile(Email).ShouldNotBeNull();

        await app.SendAsync(store, new EraseShopperCommand(contactId, manager.Id, ErasureReach.AlsoTheCrm), manager);
        await app.SendAsync(store, ErasureJobs.ShouldHaveSingleItem());

        app.Klaviyo.Deletions.ShouldContain("email:" + Email.ToLowerInvariant());
        app.Klaviyo.Profile(Email).ShouldBeNull();
        var deletion = app.Klaviyo.Requests.Last(r => r.PathAndQuery == "/api/data-privacy-deletion-jobs");
        deletion.Header("Authorization").ShouldBe("Klaviyo-API-Key " + app.Klaviyo.ApiKey);
        deletion.Header("revision").ShouldBe(KlaviyoConnector.Revision);
        var done = (await RequestAsync(contactId))!;
        done.ShouldSatisfyAllConditions(() => done.Status.ShouldBe(CrmErasureStatus.Erased), () => done.ProtectedIdentity.ShouldBeNull(), () => done.RecordId.ShouldNotBeNull());
    }

    private async Task SetMailchimpKeyAsync(string key)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString());
        var connection = (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId))!;
        session.Store(connection with { ProtectedSecrets = app.Services.GetRequiredService<ICrmSecrets>().Protect(tenantId, new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = key }) });
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task The_platforms_own_erasure_and_a_shopper_never_pushed_delete_nothing_in_the_crm()
    {
        await ConnectMailchimpAsync();
        var contactId = await PushedShopperAsync();
        var (_, other) = await app.SignUpAndLinkAsync(store, Bartholomeus());

        // A canceled store's erasure (ADR 0023) and retention keep the default reach: the CRM is the retailer's.
        await app.SendAsync(store, new EraseShopperCommand(contactId, "platform"));
        // Never pushed to this connection: the CRM never had him.
        await app.SendAsync(store, new EraseShopperCommand(other.ContactId!.Value, manager.Id, ErasureReach.AlsoTheCrm), manager);

        ErasureJobs.ShouldBeEmpty();
        (await RequestAsync(contactId)).ShouldBeNull();
        (await RequestAsync(other.ContactId.Value)).ShouldBeNull();
        app.Mailchimp.Member(list, Email).ShouldNotBeNull();
        app.Mailchimp.Requests.ShouldNotContain(r => r.PathAndQuery.Contains($"/lists/{list}/", StringComparison.Ordinal) && r.PathAndQuery.Contains("delete-permanent", StringComparison.Ordinal));
    }
}
