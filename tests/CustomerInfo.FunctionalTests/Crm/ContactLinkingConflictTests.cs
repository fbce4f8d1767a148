using System.Net;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using CustomerInfo.Web.Seeding;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Crm;

/// <summary>
/// Two appends to one sign-up's stream at once: the subscription's link and another writer's event
/// (a push recording its outcome, a retry being queued). Marten's quick append numbers a stream's events
/// from the version it reads without a lock, so the one that commits second fails on the stream's
/// (stream, version) key. The subscription tries the store's events again on its own, at once, instead
/// of failing the page, which pauses the whole subscription for every store.
/// </summary>
public class ContactLinkingConflictTests(ClockedWebOnlyApp app) : IClassFixture<ClockedWebOnlyApp>
{
    private const string Secret = "whsec_bGlua2luZyBjb25mbGljdCB0ZXN0IHNlY3JldCAxMjM0NTY=";

    [Fact]
    public async Task A_link_that_loses_a_race_for_the_sign_ups_stream_is_tried_again_and_the_sign_up_is_pushed_once()
    {
        var tenantId = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
        await using var receiver = await FakeWebhookReceiver.StartNewAsync(Secret);
        await app.ConnectWebhookAsync("demo", receiver.Url, Secret);
        var signUpId = await SignUpAsync("race@example.com");

        // Another writer appends to the sign-up's stream and has not committed yet.
        await using var other = new NpgsqlConnection(app.Database.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var options = SessionOptions.ForTransaction(transaction);
        options.TenantId = tenantId.ToString();
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(options))
        {
            session.Events.Append(signUpId, new SignUpQueuedForCrm(signUpId, Guid.NewGuid(), CrmQueueReason.Retry, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        // The worker's subscription links the sign-up: its append waits on the other writer's, then loses to it.
        await using var worker = app.SecondPod<PipelineApp>();
        (await Eventually.HoldsAsync(WaitingOnALockAsync, waiting => waiting, TimeSpan.FromSeconds(30))).ShouldBeTrue();
        await transaction.CommitAsync();

        (await Eventually.HoldsAsync(() => RowAsync(signUpId), r => r?.ContactId is not null, TimeSpan.FromSeconds(15))).ShouldBeTrue();
        (await Eventually.HoldsAsync(() => ValueTask.FromResult(receiver.Deliveries.Count), n => n >= 1, TimeSpan.FromSeconds(15))).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(1));
        receiver.Deliveries.Select(d => d.Id).Distinct().ShouldHaveSingleItem();
        worker.Logs.Lines.ShouldContain(line => line.Contains("tried again", StringComparison.Ordinal));
        worker.Logs.Lines.ShouldNotContain(line => line.Contains("Error trying to process subscription", StringComparison.Ordinal));
    }

    private Task<Guid> SignUpAsync(string email) => app.SignUpAtKioskAsync("demo", email);

    private ValueTask<SignUpSummary?> RowAsync(Guid signUpId) => app.SignUpRowAsync("demo", signUpId);

    /// <summary>Whether a session of this database waits on a lock (the link's insert behind the other writer's).</summary>
    private async ValueTask<bool> WaitingOnALockAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
