using System.Net;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>
/// Push status over HTTP: the list's tags and filter, the detail's outcome and retry, the export's
/// columns and the dashboard's figures, as each role sees them; Staff cannot retry.
/// </summary>
public class CrmPushPagesTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Host = "acme.localhost";
    private readonly Dictionary<string, HttpClient> clients = [];
    private Guid acme;
    private Guid waiting;
    private Guid failed;
    private Guid pushed;
    private Guid bravoFailed;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        foreach (var role in TeamRoles.All)
        {
            var email = $"{role}@acme.test".ToLowerInvariant();
            await app.AddMemberAsync("acme", email, role);
            clients[role.ToString()] = app.ClientFor(Host);
            await Members.SignedInAsync(clients[role.ToString()], email);
        }

        var now = DateTimeOffset.UtcNow;
        waiting = await app.AddSignUpAtAsync("acme", now.AddMinutes(-30), shopper: new Shopper("Wendy", "Wait", null, null, null, null));
        failed = await app.AddSignUpAtAsync("acme", now.AddMinutes(-20), shopper: new Shopper("Frank", "Fail", null, null, null, null));
        pushed = await app.AddSignUpAtAsync("acme", now.AddMinutes(-10), shopper: new Shopper("Petra", "Push", null, null, null, null));
        bravoFailed = await app.AddSignUpAtAsync("bravo", now.AddMinutes(-10));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Connects acme's CRM and gives the sign-ups their outcomes.</summary>
    private async Task ConnectAndPushAsync()
    {
        var connection = await app.ConnectCrmAsync("acme");
        var now = DateTimeOffset.UtcNow;
        await app.PushFailedAsync("acme", failed, connection, "422 Unprocessable Entity: property 'shoe_size' does not exist", now.AddMinutes(-5), attempt: 5);
        await app.PushedAsync("acme", pushed, connection, "hs-4711", now.AddMinutes(-1));
        var bravo = await app.ConnectCrmAsync("bravo");
        await app.PushFailedAsync("bravo", bravoFailed, bravo, "500", now.AddMinutes(-1));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler)
    {
        var html = await AppFactory.ReadAsync(await client.GetAsync(page), HttpStatusCode.OK);
        var values = new Dictionary<string, string> { ["__RequestVerificationToken"] = Forms.AntiforgeryToken(html) };
        return await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(values));
    }

    [Fact]
    public async Task Without_a_connection_sign_ups_show_not_connected_and_the_dashboard_links_to_the_crm_settings()
    {
        var list = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/signups"), HttpStatusCode.OK);
        list.ShouldContain(">Not connected</span>");
        list.ShouldNotContain(">Waiting</span>");
        list.ShouldNotContain("Retry all failed");

        var dashboard = await AppFactory.ReadAsync(await clients["Manager"].GetAsync("/admin"), HttpStatusCode.OK);
        dashboard.ShouldContain("Not connected");
        dashboard.ShouldContain("href=\"/admin/crm\"");
        dashboard.ShouldContain("data-stat=\"crm-waiting\">3<");
        (await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("href=\"/admin/crm\"");
    }

    [Fact]
    public async Task The_list_tags_each_row_filters_on_push_status_and_offers_retry_all_to_managers_only()
    {
        await ConnectAndPushAsync();

        var list = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/signups"), HttpStatusCode.OK);
        list.ShouldContain(">Waiting</span>");
        list.ShouldContain(">Failed</span>");
        list.ShouldContain(">Pushed</span>");
        list.ShouldNotContain("Retry all failed");
        (await AppFactory.ReadAsync(await clients["Manager"].GetAsync("/admin/signups"), HttpStatusCode.OK)).ShouldContain("Retry all failed");

        var onlyFailed = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/signups?push=failed"), HttpStatusCode.OK);
        onlyFailed.ShouldContain("Frank Fail");
        onlyFailed.ShouldNotContain("Petra Push");
        onlyFailed.ShouldNotContain("Wendy Wait");
        onlyFailed.ShouldContain("<option value=\"failed\" selected=\"selected\">");
        var onlyPushed = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/signups?push=pushed"), HttpStatusCode.OK);
        onlyPushed.ShouldContain("Petra Push");
        onlyPushed.ShouldNotContain("Frank Fail");

        var bad = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin/signups?push=lost"), HttpStatusCode.OK);
        bad.ShouldContain("Choose a push status from the list.");
        var badExport = await AppFactory.ReadAsync(await clients["Manager"].GetAsync("/admin/signups/export?push=lost"), HttpStatusCode.OK);
        badExport.ShouldContain("Choose a push status from the list.");
    }

    [Fact]
    public async Task The_timeline_names_the_crm_in_the_pages_language()
    {
        await ConnectAndPushAsync();

        var english = WebUtility.HtmlDecode(await AppFactory.ReadAsync(await clients["Staff"].GetAsync($"/admin/signups/{pushed}"), HttpStatusCode.OK));
        english.ShouldContain("Signed webhook");
        var dutch = WebUtility.HtmlDecode(await AppFactory.ReadAsync(await clients["Staff"].GetAsync($"/admin/signups/{pushed}?lang=nl"), HttpStatusCode.OK));
        dutch.ShouldContain("Geleverd aan Ondertekende webhook als record hs-4711 (poging 1)");
        dutch.ShouldNotContain("Signed webhook");
    }

    [Fact]
    public async Task Staff_cannot_post_a_retry_and_see_no_retry_button()
    {
        await ConnectAndPushAsync();

        var detail = await AppFactory.ReadAsync(await clients["Staff"].GetAsync($"/admin/signups/{failed}"), HttpStatusCode.OK);
        detail.ShouldContain("property &#x27;shoe_size&#x27; does not exist");
        detail.ShouldNotContain("Retry push");
        (await PostAsync(clients["Staff"], $"/admin/signups/{failed}", "Retry")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(clients["Staff"], "/admin/signups", "RetryAll")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldNotContain(j => j.SignUpId == failed);
    }

    [Fact]
    public async Task A_manager_retries_a_failed_push_from_its_page_and_sees_it_waiting_with_the_retry_in_its_history()
    {
        await ConnectAndPushAsync();
        var manager = clients["Manager"];
        var detail = await AppFactory.ReadAsync(await manager.GetAsync($"/admin/signups/{failed}"), HttpStatusCode.OK);
        detail.ShouldContain("Retry push");
        detail.ShouldContain("Push to Signed webhook failed (attempt 5)");
        (await AppFactory.ReadAsync(await manager.GetAsync($"/admin/signups/{pushed}"), HttpStatusCode.OK)).ShouldNotContain("Retry push");

        var retried = await PostAsync(manager, $"/admin/signups/{failed}", "Retry");
        retried.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await AppFactory.ReadAsync(await manager.GetAsync(retried.Headers.Location!.ToString()), HttpStatusCode.OK);
        after.ShouldContain("The sign-up is being sent to your CRM again.");
        after.ShouldContain("Queued for the CRM again by a retry");
        after.ShouldContain(">Waiting</span>");
        after.ShouldNotContain("Retry push");
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldContain(new PushSignUpToCrmCommand(acme, failed));

        // Another store's sign-up: not found, and nothing is queued for it.
        (await PostAsync(manager, $"/admin/signups/{failed}", "Retry")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var html = await AppFactory.ReadAsync(await manager.GetAsync($"/admin/signups/{pushed}"), HttpStatusCode.OK);
        var other = await manager.PostAsync($"/admin/signups/{bravoFailed}?handler=Retry", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Forms.AntiforgeryToken(html) }));
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        app.EnqueuedCrmJobs<PushSignUpToCrmCommand>().ShouldNotContain(j => j.SignUpId == bravoFailed);

        var all = await PostAsync(manager, "/admin/signups", "RetryAll");
        all.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await manager.GetAsync("/admin/signups"), HttpStatusCode.OK)).ShouldContain("No push has failed, so there is nothing to retry.");
    }

    [Fact]
    public async Task The_export_has_a_push_status_and_crm_record_id_column_and_the_dashboard_counts_them()
    {
        await ConnectAndPushAsync();

        var csv = await AppFactory.ReadAsync(await clients["Manager"].GetAsync("/admin/signups/export"), HttpStatusCode.OK);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldEndWith(",Time zone,CRM push status,CRM record id");
        lines.Single(l => l.StartsWith("Petra,", StringComparison.Ordinal)).ShouldEndWith(",Pushed,hs-4711");
        lines.Single(l => l.StartsWith("Frank,", StringComparison.Ordinal)).ShouldEndWith(",Failed,");
        lines.Single(l => l.StartsWith("Wendy,", StringComparison.Ordinal)).ShouldEndWith(",Waiting,");

        var dashboard = await AppFactory.ReadAsync(await clients["Staff"].GetAsync("/admin"), HttpStatusCode.OK);
        dashboard.ShouldContain("data-stat=\"crm-waiting\">1<");
        dashboard.ShouldContain("href=\"/admin/signups?push=failed\"");
        dashboard.ShouldContain("data-stat=\"crm-pushed-today\">1<");
        dashboard.ShouldNotContain("Not connected");
    }
}
