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
/// its high-water mark over a gap that was filled afterwards) is found at the first look at its stretch,
/// linked, and pushed under one delivery id; one that commits into the stretch after that is found at the
/// second look; sign-ups the subscription did see, and those after its progress, are left to it.
/// </summary>
public class PassedOverSignUpsTests(ClockedWebOnlyApp app) : IClassFixture<ClockedWebOnlyApp>
{
    private const string Secret = "whsec_cGFzc2VkIG92ZXIgc2lnbi11cHMgdGVzdCBzZWNyZXQ=";

    [Fact]
    public async Task A_sign_up_the_subscription_passed_over_is_linked_and_pushed_under_one_delivery_id_at_the_first_or_second_look()
    {
        var tenantId = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);

        (await FindAsync()).ShouldBeEmpty(); // the search runs from before the sign-ups (withdrawals count from its first run)
        var gap = await ReserveSequenceAsync(); // an append still in flight holds this number
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
        app.Clock.Advance(FindPassedOverSignUpsHandler.FirstLook + TimeSpan.FromSeconds(10));
        var jobs = await FindAsync();
        var job = jobs.ShouldHaveSingleItem();
        job.TenantId.ShouldBe(tenantId);
        job.SignUpIds.ShouldBe([passedOver]);
        job.SignUpIdsToPush.ShouldBe([passedOver]);
        job.WithdrawalSignUpIds.ShouldBe([seen]); // the withdrawer's latest sign-up carries the push
        job.WithdrawalSequences.ShouldBe([withdrawal]);
        job.ToString().ShouldBe("Link 1 sign-up(s) of demo and push 1 withdrawn consent(s) the contact linking passed over");

        app.Clock.Advance(FindPassedOverSignUpsHandler.FirstLook);
        (await FindAsync()).Count.ShouldBe(1); // the first look is over and the second not due: nothing new was queued

        // The append in flight commits now, into the stretch the first look has seen: the second look finds it.
        var late = await SignUpAsync("late@example.com");
        await MoveSignUpEventAsync(late, gap);
        app.Clock.Advance(FindPassedOverSignUpsHandler.SecondLook);
        jobs = await FindAsync();
        jobs.Count.ShouldBe(2);
        // The first look's sign-up is still unlinked (no worker yet), so it is queued again: the link is safe to repeat, the push keeps its delivery id.
        jobs[1].SignUpIds.ShouldBe([passedOver, late], ignoreOrder: true);
        jobs[1].SignUpIds.ShouldNotContain(later);
        app.Clock.Advance(FindPassedOverSignUpsHandler.SecondLook);
        (await FindAsync()).Count.ShouldBe(2); // each stretch is looked at twice, no more

        // A worker runs the jobs: each sign-up is linked to a contact and reaches the CRM under one delivery id.
        await using var worker = app.SecondPod<PipelineApp>();
        foreach (var signUp in new[] { passedOver, later, seen, late })
        {
            (await Eventually.HoldsAsync(() => RowAsync(signUp), r => r?.CrmStatus == CrmPushStatus.Pushed, TimeSpan.FromSeconds(45))).ShouldBeTrue();
        }

        (await RowAsync(passedOver))!.ContactId.ShouldNotBeNull();
        (await RowAsync(late))!.ContactId.ShouldNotBeNull();
        await Task.Delay(TimeSpan.FromSeconds(2)); // nothing more is on its way
        var byEmail = receiver.Deliveries.GroupBy(d => d.Data.GetProperty("email").GetString()).ToDictionary(g => g.Key!, g => g.Select(d => d.Id).Distinct().Count());
        byEmail.Keys.ShouldBe(["passed.over@example.com", "later@example.com", "seen@example.com", "late@example.com"], ignoreOrder: true);
        byEmail.Values.ShouldAllBe(ids => ids == 1);
        var withdrawn = receiver.Deliveries.Last(d => d.Data.GetProperty("email").GetString() == "seen@example.com");
        withdrawn.Data.GetProperty("consent").GetProperty("email").GetProperty("given").GetBoolean().ShouldBeFalse();
        (await RowAsync(seen))!.CrmDeliveryId.ShouldBe(PushSignUpToCrmHandler.DeliveryId((await ConnectionAsync()).ConnectionId, seen, withdrawal)); // the id the subscription's push has
    }

    private Task<Guid> SignUpAsync(string email) => app.SignUpAtKioskAsync("demo", email);

    private ValueTask<SignUpSummary?> RowAsync(Guid signUpId) => app.SignUpRowAsync("demo", signUpId);

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

    /// <summary>A number of the event log's sequence, taken as an append does before it commits.</summary>
    private async Task<long> ReserveSequenceAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select nextval('customerinfo.mt_events_sequence')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Gives the sign-up's event the reserved number, as if its append had committed late with it.</summary>
    private async Task MoveSignUpEventAsync(Guid signUpId, long sequence)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("update customerinfo.mt_events set seq_id = $1 where stream_id = $2 and version = 1", connection);
        command.Parameters.AddWithValue(sequence);
        command.Parameters.AddWithValue(signUpId);
        (await command.ExecuteNonQueryAsync()).ShouldBe(1);
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
