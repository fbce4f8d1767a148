using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// "Retry all failed" as its job runs it: more failed sign-ups than one page, many received in the
/// same instant, each queued once (an event on its stream and its own push job), none of the others.
/// </summary>
public class QueueCrmPushesTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const int Failed = 1_234;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Shoes");
        await app.AddStoreAsync("other", "Other Books");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private IDocumentStore Store => app.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Sign-ups that failed for good, three to an instant (a tablet's queue arriving at once), and a few that did not fail.</summary>
    private async Task<(List<Guid> Failed, List<Guid> Others)> LoadAsync(Guid tenant, Guid connectionId)
    {
        var start = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero); // before the job runs: it leaves later ones to the subscription
        var failed = new List<Guid>();
        var others = new List<Guid>();
        await using var session = Store.LightweightSession(tenant.ToString());
        for (var i = 0; i < Failed + 30; i++)
        {
            var id = Guid.NewGuid();
            var at = start.AddSeconds(i / 3);
            var submitted = new SignUpSubmitted(id, 1, "en", null, at, at, new Shopper("Test", null, null, null, null, null), [], null, null);
            object outcome = (i % 41) switch
            {
                0 => new SignUpPushedToCrm(id, connectionId, "webhook", "r", "d", 1, at),
                1 => new CrmPushFailed(id, connectionId, "webhook", "503", "d", 1, at.AddMinutes(1), at),
                _ => new CrmPushFailed(id, connectionId, "webhook", "400", "d", 5, null, at),
            };
            session.Events.StartStream(id, submitted, outcome);
            (outcome is CrmPushFailed { NextAttemptAt: null } ? failed : others).Add(id);
        }

        await session.SaveChangesAsync();
        return (failed, others);
    }

    [Fact]
    public async Task Every_failed_sign_up_over_many_pages_is_queued_once_in_batched_push_jobs_and_no_other_is()
    {
        var tenant = (await app.TenantAsync("demo")).Id;
        var connection = await app.ConnectCrmAsync("demo");
        var (failed, others) = await LoadAsync(tenant, connection);
        failed.Count.ShouldBeGreaterThan(1_000);
        var otherTenantConnection = await app.ConnectCrmAsync("other");
        var otherStore = await app.AddSignUpAtAsync("other", DateTimeOffset.UtcNow);
        await app.PushFailedAsync("other", otherStore, otherTenantConnection, "400", DateTimeOffset.UtcNow);

        await app.SendAsync("demo", new QueueCrmPushesCommand(tenant, CrmQueueReason.Retry));

        var jobs = app.EnqueuedCrmJobs<PushSignUpsToCrmCommand>();
        jobs.SelectMany(j => j.SignUpIds).Order().ShouldBe(failed.Order());
        jobs.ShouldAllBe(j => j.TenantId == tenant && j.SignUpIds.Length <= PushSignUpsToCrmCommand.MaxSignUps && j.Trigger == 0 && j.Attempt == 1);
        jobs.Count.ShouldBeLessThan(failed.Count / 50); // batches, not a job per sign-up
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldBeEmpty();
        await using var session = Store.QuerySession(tenant.ToString());
        var queued = await session.Events.QueryRawEventDataOnly<SignUpQueuedForCrm>().ToListAsync();
        queued.Select(q => q.SignUpId).Order().ShouldBe(failed.Order());
        queued.ShouldAllBe(q => q.Why == CrmQueueReason.Retry && q.ConnectionId == connection);
        (await session.Query<SignUpSummary>().CountAsync(s => s.CrmStatus == CrmPushStatus.Failed)).ShouldBe(0);
        (await session.Query<SignUpSummary>().CountAsync(s => s.CrmStatus == CrmPushStatus.Waiting)).ShouldBe(failed.Count);
        var untouched = await session.Query<SignUpSummary>().Where(s => s.CrmStatus != CrmPushStatus.Waiting).Select(s => s.Id).ToListAsync();
        untouched.Order().ShouldBe(others.Order());

        // Run again (Hangfire retrying the job): nothing failed is left, so nothing more is queued.
        await app.SendAsync("demo", new QueueCrmPushesCommand(tenant, CrmQueueReason.Retry));
        app.EnqueuedCrmJobs<PushSignUpsToCrmCommand>().Sum(j => j.SignUpIds.Length).ShouldBe(failed.Count);
        await using var other = Store.QuerySession((await app.TenantAsync("other")).Id.ToString());
        (await other.LoadAsync<SignUpSummary>(otherStore))!.CrmStatus.ShouldBe(CrmPushStatus.Failed);
    }

    [Fact]
    public async Task Without_an_active_connection_nothing_is_queued()
    {
        var tenant = (await app.TenantAsync("demo")).Id;
        var connection = await app.ConnectCrmAsync("demo", active: false);
        var signUp = await app.AddSignUpAtAsync("demo", DateTimeOffset.UtcNow);
        await app.PushFailedAsync("demo", signUp, connection, "400", DateTimeOffset.UtcNow);

        await app.SendAsync("demo", new QueueCrmPushesCommand(tenant, CrmQueueReason.Retry));

        app.EnqueuedCrmJobs<PushSignUpsToCrmCommand>().ShouldNotContain(j => j.SignUpIds.Contains(signUp));
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldNotContain(j => j.SignUpId == signUp);
        await using var session = Store.QuerySession(tenant.ToString());
        (await session.LoadAsync<SignUpSummary>(signUp))!.CrmStatus.ShouldBe(CrmPushStatus.Failed);
    }
}
