using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

public class AuditPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Owner = "owner@acme.test";
    private HttpClient owner = null!;
    private TeamMember staff = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
        staff = await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        await app.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_Owner_sees_a_role_change_on_the_log_and_the_log_in_the_nav_while_a_Manager_and_Staff_are_refused()
    {
        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        team.ShouldContain("href=\"/admin/audit\"");
        var changed = await owner.PostAsync("/admin/team?handler=Role", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["memberId"] = staff.Id.ToString(),
            ["role"] = "Manager",
            ["__RequestVerificationToken"] = Forms.AntiforgeryToken(team),
        }));
        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var log = await AppFactory.ReadAsync(await owner.GetAsync("/admin/audit"), HttpStatusCode.OK);
        log.ShouldContain("Changed the role of staff@acme.test from Staff to Manager");
        log.ShouldContain("<option value=\"member:" + staff.Id + "\">staff@acme.test</option>");
        var dutch = await AppFactory.ReadAsync(await owner.GetAsync("/admin/audit?lang=nl&action=team"), HttpStatusCode.OK);
        dutch.ShouldContain("Wijzigde de rol van staff@acme.test van Medewerker naar Manager");
        dutch.ShouldContain("Logboek");

        foreach (var (email, role) in new[] { ("manager@acme.test", "Manager"), ("staff@acme.test", "Manager (was Staff)") })
        {
            var client = app.ClientFor("acme.localhost");
            await Members.SignedInAsync(client, email);
            (await client.GetAsync("/admin/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
            (await AppFactory.ReadAsync(await client.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("href=\"/admin/audit\"");
        }
    }

    [Theory]
    [InlineData("person=nobody", "Choose a person from the list.")]
    [InlineData("action=shoppers", "Choose an action from the list.")]
    [InlineData("from=31-12-2026", "Enter the first day as a date, like 2026-01-31.")]
    [InlineData("to=2026-13-01", "Enter the last day as a date, like 2026-01-31.")]
    [InlineData("from=2026-02-01&to=2026-01-01", "The last day can&#x27;t be before the first day.")]
    [InlineData("before=dGFtcGVyZWQ", "This page of the log no longer exists. Start again from the newest entries.")]
    [InlineData("before=YTF8NjM4NzAwMDAwMDAwMDAwMDAwfDE", null)]
    public async Task A_bad_filter_or_a_tampered_cursor_gets_a_message_never_an_error(string query, string? message)
    {
        var response = await owner.GetAsync("/admin/audit?" + query);

        var page = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        if (message is null)
        {
            // A well-formed cursor someone made up only starts the page elsewhere in this tenant's own log.
            page.ShouldContain("Audit log");
        }
        else
        {
            page.ShouldContain(message);
            page.ShouldContain("role=\"alert\"");
        }
    }

    [Fact]
    public async Task Ten_thousand_characters_in_every_field_get_messages_not_a_500()
    {
        var long_ = new string('x', 10_000);
        var response = await owner.GetAsync($"/admin/audit?person={long_}&action={long_}&from={long_}&to={long_}&before={long_}");

        var page = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        page.ShouldContain("Choose a person from the list.");
        page.ShouldContain("Choose an action from the list.");
        page.ShouldContain("This page of the log no longer exists.");
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_says_so()
    {
        var page = await AppFactory.ReadAsync(await owner.GetAsync("/admin/audit?action=crm"), HttpStatusCode.OK);

        page.ShouldContain("Nothing matches this filter");
        page.ShouldContain("href=\"/admin/audit\"");
    }
}
