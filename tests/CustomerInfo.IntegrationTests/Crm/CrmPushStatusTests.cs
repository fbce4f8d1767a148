using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.Crm.Retry;
using CustomerInfo.Application.SignUps.ExportSignUps;
using CustomerInfo.Application.SignUps.GetSignUp;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// Where each sign-up's push stands, as the list, the detail, the export and the dashboard show it,
/// from the outcomes the push job appends; and a Manager's retry of one failed sign-up, or all of them.
/// </summary>
public class CrmPushStatusTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    // 10:00 in Amsterdam (UTC+1 in winter).
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private Guid demo;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.UtcNow = Now;
        demo = await app.AddStoreAsync("demo", "Demo Shoes");
        await app.AddStoreAsync("other", "Other Books");
        await app.AddRetailStoreAsync("demo", "Centrum", "Europe/Amsterdam", Now.AddYears(-1));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<SignUpSummary> SummaryAsync(Guid signUpId) =>
        (await app.SendAsync("demo", new GetSignUpQuery(signUpId)))!.Summary;

    [Fact]
    public async Task A_sign_up_waits_then_retries_then_fails_then_waits_again_then_is_pushed_with_its_record_id()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var signUp = await app.AddSignUpAtAsync("demo", Now.AddMinutes(-30));
        (await SummaryAsync(signUp)).CrmStatus.ShouldBe(CrmPushStatus.Waiting);

        await app.PushFailedAsync("demo", signUp, connection, "503 Service Unavailable", Now.AddMinutes(-29), nextAttemptAt: Now.AddMinutes(-25));
        var retrying = await SummaryAsync(signUp);
        retrying.CrmStatus.ShouldBe(CrmPushStatus.Retrying);
        retrying.CrmNextAttemptAt.ShouldBe(Now.AddMinutes(-25));
        retrying.CrmReason.ShouldBe("503 Service Unavailable");

        await app.PushFailedAsync("demo", signUp, connection, "401 Unauthorized: invalid token", Now.AddMinutes(-20), attempt: 2);
        var failed = await SummaryAsync(signUp);
        failed.CrmStatus.ShouldBe(CrmPushStatus.Failed);
        failed.CrmAttempts.ShouldBe(2);
        failed.CrmNextAttemptAt.ShouldBeNull();

        (await app.SendAsync("demo", new RetryCrmPushCommand(signUp))).ShouldBe(RetryCrmPushOutcome.Queued);
        (await SummaryAsync(signUp)).CrmStatus.ShouldBe(CrmPushStatus.Waiting);

        await app.PushedAsync("demo", signUp, connection, "hs-901", Now.AddMinutes(-1));
        var pushed = await SummaryAsync(signUp);
        pushed.CrmStatus.ShouldBe(CrmPushStatus.Pushed);
        pushed.CrmRecordId.ShouldBe("hs-901");
        pushed.CrmReason.ShouldBeNull();
        pushed.CrmUpdatedAt.ShouldBe(Now.AddMinutes(-1));

        var history = (await app.SendAsync("demo", new GetSignUpQuery(signUp)))!.History.Where(h => h.Crm is not null).ToList();
        history.Select(h => h.Kind).ShouldBe([SignUpHistoryKind.CrmPushFailed, SignUpHistoryKind.CrmPushFailed, SignUpHistoryKind.QueuedForCrm, SignUpHistoryKind.PushedToCrm]);
        history[0].Crm!.ShouldBe(new CrmPushEntry("Signed webhook", 1, Reason: "503 Service Unavailable", NextAttemptAt: Now.AddMinutes(-25), Kind: Application.Crm.CrmNames.Webhook));
        history[1].Crm!.NextAttemptAt.ShouldBeNull();
        history[2].Crm!.Why.ShouldBe(CrmQueueReason.Retry);
        history[3].Crm!.ShouldBe(new CrmPushEntry("Signed webhook", 1, "hs-901", Kind: Application.Crm.CrmNames.Webhook));
    }

    [Fact]
    public async Task A_retry_appends_the_queued_event_and_enqueues_one_push_job_of_ids_on_the_crm_queue()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var signUp = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        await app.PushFailedAsync("demo", signUp, connection, "422: field 'shoe_size' does not exist", Now.AddHours(-1));

        (await app.SendAsync("demo", new RetryCrmPushCommand(signUp), Actor.Member(demo, Guid.NewGuid(), TeamRole.Manager))).ShouldBe(RetryCrmPushOutcome.Queued);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(demo.ToString());
        var queued = (await session.Events.FetchStreamAsync(signUp)).Select(e => e.Data).OfType<SignUpQueuedForCrm>().ShouldHaveSingleItem();
        queued.ShouldBe(new SignUpQueuedForCrm(signUp, connection, CrmQueueReason.Retry, Now));
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().Where(j => j.SignUpId == signUp).ShouldBe([new PushSignUpToCrmCommand(demo, signUp)]);

        // Waiting now: a second press has nothing to retry.
        (await app.SendAsync("demo", new RetryCrmPushCommand(signUp))).ShouldBe(RetryCrmPushOutcome.NotFailed);
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().Count(j => j.SignUpId == signUp).ShouldBe(1);
    }

    [Fact]
    public async Task A_retry_is_refused_for_a_pushed_or_waiting_sign_up_without_a_connection_and_for_another_stores_sign_up()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var pushed = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        await app.PushedAsync("demo", pushed, connection, "1", Now.AddHours(-1));
        var waiting = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        var failed = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        await app.PushFailedAsync("demo", failed, connection, "500", Now.AddHours(-1));
        var otherConnection = await app.ConnectCrmAsync("other");
        var others = await app.AddSignUpAtAsync("other", Now.AddHours(-2));
        await app.PushFailedAsync("other", others, otherConnection, "500", Now.AddHours(-1));

        (await app.SendAsync("demo", new RetryCrmPushCommand(pushed))).ShouldBe(RetryCrmPushOutcome.NotFailed);
        (await app.SendAsync("demo", new RetryCrmPushCommand(waiting))).ShouldBe(RetryCrmPushOutcome.NotFailed);
        (await app.SendAsync("demo", new RetryCrmPushCommand(others))).ShouldBe(RetryCrmPushOutcome.NotFound);
        (await app.SendAsync("demo", new RetryCrmPushCommand(Guid.NewGuid()))).ShouldBe(RetryCrmPushOutcome.NotFound);
        (await app.SendAsync("other", new GetSignUpQuery(others)))!.Summary.CrmStatus.ShouldBe(CrmPushStatus.Failed);

        await app.ConnectCrmAsync("demo", active: false);
        (await app.SendAsync("demo", new RetryCrmPushCommand(failed))).ShouldBe(RetryCrmPushOutcome.NotConnected);
        (await app.SendAsync("demo", new RetryFailedCrmPushesCommand())).ShouldBe(RetryFailedCrmPushesOutcome.NotConnected);
        (await SummaryAsync(failed)).CrmStatus.ShouldBe(CrmPushStatus.Failed);
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldNotContain(j => j.SignUpId == failed || j.SignUpId == others);
    }

    [Fact]
    public async Task Staff_may_not_retry_a_push_nor_all_of_them()
    {
        var staff = Actor.Member(demo, Guid.NewGuid(), TeamRole.Staff);

        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("demo", new RetryCrmPushCommand(Guid.NewGuid()), staff));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("demo", new RetryFailedCrmPushesCommand(), staff));
    }

    [Fact]
    public async Task Retry_all_enqueues_the_queueing_job_for_this_store_only_when_something_failed()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var signUp = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        (await app.SendAsync("demo", new RetryFailedCrmPushesCommand())).ShouldBe(RetryFailedCrmPushesOutcome.NoneFailed);
        var before = app.EnqueuedCrmJobs<QueueCrmPushesCommand>().Count(j => j.TenantId == demo);

        await app.PushFailedAsync("demo", signUp, connection, "500", Now.AddHours(-1));
        (await app.SendAsync("demo", new RetryFailedCrmPushesCommand())).ShouldBe(RetryFailedCrmPushesOutcome.Queued);

        app.EnqueuedCrmJobs<QueueCrmPushesCommand>().Count(j => j == new QueueCrmPushesCommand(demo, CrmQueueReason.Retry)).ShouldBe(before + 1);
    }

    [Fact]
    public async Task The_list_filters_on_push_status_and_says_whether_the_store_is_connected_and_has_failures()
    {
        var unconnected = await app.SendAsync("demo", new ListSignUpsQuery());
        unconnected.CrmConnected.ShouldBeFalse();

        var connection = await app.ConnectCrmAsync("demo");
        var waiting = await app.AddSignUpAtAsync("demo", Now.AddHours(-5));
        var retrying = await app.AddSignUpAtAsync("demo", Now.AddHours(-4));
        await app.PushFailedAsync("demo", retrying, connection, "429 Too Many Requests", Now.AddHours(-3), Now.AddMinutes(5));
        var failed = await app.AddSignUpAtAsync("demo", Now.AddHours(-3));
        await app.PushFailedAsync("demo", failed, connection, "400 Bad Request", Now.AddHours(-2));
        var pushed = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        await app.PushedAsync("demo", pushed, connection, "r1", Now.AddHours(-1));

        async Task<IReadOnlyList<Guid>> Ids(CrmPushStatus status) =>
            (await app.SendAsync("demo", new ListSignUpsQuery(Filter: new SignUpFilter(CrmStatus: status)))).Items.Select(s => s.Id).ToList();

        (await Ids(CrmPushStatus.Waiting)).ShouldBe([waiting]);
        (await Ids(CrmPushStatus.Retrying)).ShouldBe([retrying]);
        (await Ids(CrmPushStatus.Failed)).ShouldBe([failed]);
        (await Ids(CrmPushStatus.Pushed)).ShouldBe([pushed]);
        (await Ids(CrmPushStatus.NotSent)).ShouldBeEmpty();
        var all = await app.SendAsync("demo", new ListSignUpsQuery());
        all.CrmConnected.ShouldBeTrue();
        all.HasFailedPushes.ShouldBeTrue();
        (await app.SendAsync("other", new ListSignUpsQuery())).HasFailedPushes.ShouldBeFalse();
        await Should.ThrowAsync<FluentValidation.ValidationException>(() => app.SendAsync("demo", new ListSignUpsQuery(Filter: new SignUpFilter(CrmStatus: (CrmPushStatus)42))));
    }

    [Fact]
    public async Task The_dashboard_counts_waiting_retrying_failed_and_pushed_today_by_the_local_day_of_the_push()
    {
        var unconnected = await app.SendAsync("demo", new GetDashboardQuery());
        unconnected.Crm.ShouldBe(new CrmPushCounts(false, 0, 0, 0, 0));

        var connection = await app.ConnectCrmAsync("demo");
        await app.AddSignUpAtAsync("demo", Now.AddDays(-3));
        await app.AddSignUpAtAsync("demo", Now.AddDays(-2));
        var retrying = await app.AddSignUpAtAsync("demo", Now.AddHours(-4));
        await app.PushFailedAsync("demo", retrying, connection, "503", Now.AddHours(-3), Now.AddMinutes(5));
        var failed = await app.AddSignUpAtAsync("demo", Now.AddHours(-3));
        await app.PushFailedAsync("demo", failed, connection, "400", Now.AddHours(-2));
        // Midnight in Amsterdam is 23:00 UTC the day before: one pushed just after it (today), one just before.
        var today = await app.AddSignUpAtAsync("demo", Now.AddDays(-1));
        await app.PushedAsync("demo", today, connection, "a", new DateTimeOffset(2027, 2, 28, 23, 0, 0, TimeSpan.Zero));
        var yesterday = await app.AddSignUpAtAsync("demo", Now.AddDays(-1));
        await app.PushedAsync("demo", yesterday, connection, "b", new DateTimeOffset(2027, 2, 28, 22, 59, 59, TimeSpan.Zero));
        // An old sign-up retried and pushed today counts today.
        var old = await app.AddSignUpAtAsync("demo", Now.AddDays(-40));
        await app.PushedAsync("demo", old, connection, "c", Now.AddMinutes(-1));
        var otherConnection = await app.ConnectCrmAsync("other");
        var others = await app.AddSignUpAtAsync("other", Now.AddHours(-1));
        await app.PushFailedAsync("other", others, otherConnection, "500", Now.AddMinutes(-30));

        (await app.SendAsync("demo", new GetDashboardQuery())).Crm.ShouldBe(new CrmPushCounts(true, 2, 1, 1, 2));
        (await app.SendAsync("other", new GetDashboardQuery())).Crm.ShouldBe(new CrmPushCounts(true, 0, 0, 1, 0));
    }

    [Fact]
    public async Task The_export_has_each_rows_push_status_and_the_crm_record_id_of_a_pushed_one()
    {
        var connection = await app.ConnectCrmAsync("demo");
        var failed = await app.AddSignUpAtAsync("demo", Now.AddHours(-3));
        await app.PushFailedAsync("demo", failed, connection, "400", Now.AddHours(-2));
        var pushed = await app.AddSignUpAtAsync("demo", Now.AddHours(-2));
        await app.PushedAsync("demo", pushed, connection, "hs-77", Now.AddHours(-1));

        var export = await app.SendAsync("demo", new ExportSignUpsQuery(SignUpFilter.None, "en"));
        var rows = new List<SignUpExportRow>();
        await foreach (var row in export.Rows)
        {
            rows.Add(row);
        }

        export.CrmConnected.ShouldBeTrue();
        rows.Select(r => (r.CrmStatus, r.CrmRecordId)).ShouldBe([(CrmPushStatus.Pushed, "hs-77"), (CrmPushStatus.Failed, null)]);
        var onlyFailed = await app.SendAsync("demo", new ExportSignUpsQuery(new SignUpFilter(CrmStatus: CrmPushStatus.Failed), "en"));
        (await onlyFailed.Rows.SingleAsync()).CrmStatus.ShouldBe(CrmPushStatus.Failed);
    }
}
