using System.Net;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Contacts.WithdrawConsent;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PassedOver;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>A web pod with a clock the test moves: no worker, no subscription.</summary>
public sealed class ClockedWebOnlyApp : ClockedAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:PerClientPerMinute", "100000"), new("RateLimits:PerStorePerMinute", "100000")];
}

/// <summary>
/// ADR 34: a sign-up the contact-linking subscription went past without seeing (the async daemon moved
/// its high-water mark over a gap that was filled afterwards) is found once the stretch has settled,
/// linked, and pushed once; sign-ups the subscription did see, and those after its progress, are left to it.
/// </summary>
public class PassedOverSignUpsTests(ClockedWebOnlyApp app) : IClassFixture<ClockedWebOnlyApp>
{
    private const string Secret = "whsec_cGFzc2VkIG92ZXIgc2lnbi11cHMgdGVzdCBzZWNyZXQ=";

    [Fact]
    public async Task A_sign_up_the_subscription_passed_over_is_linked_and_pushed_once_after_the_stretch_settles()
    {
        var tenantId = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);

        (await FindAsync()).ShouldBeEmpty(); // the search runs from before the sign-ups (withdrawals count from its first run)
        var passedOver = await SignUpAsync("passed.over@example.com");
        var seen = await SignUpAsync("seen@example.com");
        var link = await app.SendAsync("demo", new LinkSignUpToContactCommand(seen), MediatorJob.Principal); // the subscription saw this one
        // A consent withdrawn in the stretch: the subscription's push of it never happened either.
        (await app.SendAsync("demo", new WithdrawConsentCommand(link.ContactId!.Value, ConsentChannel.Email))).ShouldBe(WithdrawConsentOutcome.Withdrawn);
        var withdrawal = await HighestSequenceAsync();

        // The subscription's progress moves past both, as the daemon's does when it skips a gap.
        await SetProgressAsync(await HighestSequenceAsync());
        var later = await SignUpAsync("later@example.com"); // after its progress: the subscription's to see

        (await FindAsync()).ShouldBeEmpty(); // the stretch has not settled yet
        app.Clock.Advance(FindPassedOverSignUpsHandler.Settle + TimeSpan.FromMinutes(1));
        var jobs = await FindAsync();
        var job = jobs.ShouldHaveSingleItem();
        job.TenantId.ShouldBe(tenantId);
        job.SignUpIds.ShouldBe([passedOver]);
        job.SignUpIdsToPush.ShouldBe([passedOver]);
        job.WithdrawalSignUpIds.ShouldBe([seen]); // the withdrawer's latest sign-up carries the push
        job.WithdrawalSequences.ShouldBe([withdrawal]);
        job.ToString().ShouldBe("Link 1 sign-up(s) of demo and push 1 withdrawn consent(s) the contact linking passed over");

        app.Clock.Advance(FindPassedOverSignUpsHandler.Settle + TimeSpan.FromMinutes(1));
        (await FindAsync()).Count.ShouldBe(1); // each stretch is looked at once: nothing new was queued

        // A worker runs the job: the sign-up is linked to a contact and reaches the CRM, once.
        await using var worker = app.SecondPod<PipelineApp>();
        (await Eventually.HoldsAsync(() => RowAsync(passedOver), r => r?.CrmStatus == CrmPushStatus.Pushed, TimeSpan.FromSeconds(45))).ShouldBeTrue();
        (await RowAsync(passedOver))!.ContactId.ShouldNotBeNull();
        (await Eventually.HoldsAsync(() => RowAsync(later), r => r?.CrmStatus == CrmPushStatus.Pushed, TimeSpan.FromSeconds(45))).ShouldBeTrue();
        (await Eventually.HoldsAsync(() => RowAsync(seen), r => r?.CrmStatus == CrmPushStatus.Pushed, TimeSpan.FromSeconds(45))).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(2)); // nothing more is on its way
        receiver.Deliveries.Select(d => d.Data.GetProperty("email").GetString()).ShouldBe(["passed.over@example.com", "later@example.com", "seen@example.com"], ignoreOrder: true);
        receiver.Deliveries.Select(d => d.Id).Distinct().Count().ShouldBe(3);
        var withdrawn = receiver.Deliveries.Single(d => d.Data.GetProperty("email").GetString() == "seen@example.com");
        withdrawn.Data.GetProperty("consent").GetProperty("email").GetProperty("given").GetBoolean().ShouldBeFalse();
        (await RowAsync(seen))!.CrmDeliveryId.ShouldBe(PushSignUpToCrmHandler.DeliveryId((await ConnectionAsync()).ConnectionId, seen, withdrawal)); // the id the subscription's push has
    }

    private async Task<Guid> SignUpAsync(string email)
    {
        var kiosk = new Kiosk(app.ClientFor("demo.localhost"));
        await kiosk.OpenAsync();
        (await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", email), ("Command.Phone", null)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tenant = await app.TenantAsync("demo");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        return (await session.Query<SignUpSummary>().Where(s => s.EmailKey == email).SingleAsync()).Id;
    }

    private async ValueTask<SignUpSummary?> RowAsync(Guid signUpId)
    {
        var tenant = await app.TenantAsync("demo");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        return await session.LoadAsync<SignUpSummary>(signUpId);
    }

    /// <summary>Runs the recurring job's command once and returns every link job waiting on the crm queue.</summary>
    private async Task<IReadOnlyList<LinkPassedOverSignUpsCommand>> FindAsync()
    {
        await app.SendAsync(new FindPassedOverSignUpsCommand(), MediatorJob.Principal);
        return app.EnqueuedCrmJobs<LinkPassedOverSignUpsCommand>();
    }

    private async Task<CrmConnection> ConnectionAsync()
    {
        var tenant = await app.TenantAsync("demo");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        return (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId))!;
    }

    private async Task<long> HighestSequenceAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select max(seq_id) from customerinfo.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task SetProgressAsync(long sequence)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            insert into customerinfo.mt_event_progression (name, last_seq_id) values ($1, $2)
            on conflict (name) do update set last_seq_id = excluded.last_seq_id
            """,
            connection);
        command.Parameters.AddWithValue($"{FindPassedOverSignUpsHandler.SubscriptionName}:All");
        command.Parameters.AddWithValue(sequence);
        await command.ExecuteNonQueryAsync();
    }
}
