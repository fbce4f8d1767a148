using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

public class TeamPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Owner = "owner@acme.test";
    private const string Staff = "staff@acme.test";
    private HttpClient owner = null!;
    private TeamMember staff = null!;
    private TeamMember ownerMember = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        ownerMember = await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
        staff = await app.AddMemberAsync("acme", Staff, TeamRole.Staff);
        owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_owner_sees_the_team_and_gives_a_colleague_another_role_which_counts_at_once()
    {
        var staffClient = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staffClient, Staff);
        (await staffClient.GetAsync("/admin/privacy")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var page = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        page.ShouldContain(Owner);
        page.ShouldContain(Staff);
        var changed = await PostAsync("Role", new() { ["memberId"] = staff.Id.ToString(), ["role"] = "Manager" });

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK)).ShouldContain($"{Staff} is now Manager.");
        (await staffClient.GetAsync("/admin/privacy")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed()
    {
        var demoted = await PostAsync("Role", new() { ["memberId"] = ownerMember.Id.ToString(), ["role"] = "Staff" });
        (await AppFactory.ReadAsync(demoted, HttpStatusCode.Conflict)).ShouldContain("A team needs at least one Owner.");

        var removed = await PostAsync("Remove", new() { ["memberId"] = ownerMember.Id.ToString() });
        (await AppFactory.ReadAsync(removed, HttpStatusCode.Conflict)).ShouldContain("A team needs at least one Owner.");
        (await owner.GetAsync("/admin/team")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Removing_a_member_asks_first_and_then_signs_them_out_everywhere_at_once()
    {
        var staffClient = app.ClientFor("acme.localhost");
        var cookie = await Members.SignedInAsync(staffClient, Staff);
        (await staffClient.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var confirm = await AppFactory.ReadAsync(await owner.GetAsync($"/admin/team?remove={staff.Id}"), HttpStatusCode.OK);
        confirm.ShouldContain($"Remove {Staff} from the team?");
        var removed = await PostAsync("Remove", new() { ["memberId"] = staff.Id.ToString() });

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staffClient.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Members.GetWithCookieAsync(app, "acme.localhost", "/admin", cookie)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Staff)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK)).ShouldNotContain(Staff + "</td>");
    }

    [Theory]
    [InlineData("Admin")]
    [InlineData("3")]
    [InlineData("")]
    public async Task A_role_that_does_not_exist_is_refused_clearly(string role)
    {
        var response = await PostAsync("Role", new() { ["memberId"] = staff.Id.ToString(), ["role"] = role });

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain("Choose Owner, Manager or Staff.");
    }

    [Fact]
    public async Task A_member_id_that_is_not_in_the_team_changes_nothing()
    {
        var response = await PostAsync("Remove", new() { ["memberId"] = Guid.NewGuid().ToString() });

        (await AppFactory.ReadAsync(response, HttpStatusCode.Conflict)).ShouldContain("That person is not in the team any more.");
    }

    [Fact]
    public async Task Staff_and_managers_cannot_open_the_team_and_do_not_see_it_in_the_menu()
    {
        await app.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        foreach (var email in new[] { Staff, "manager@acme.test" })
        {
            var client = app.ClientFor("acme.localhost");
            await Members.SignedInAsync(client, email);
            (await client.GetAsync("/admin/team")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await AppFactory.ReadAsync(await client.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("href=\"/admin/team\"");
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string handler, Dictionary<string, string> fields)
    {
        var page = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(page);
        return await owner.PostAsync($"/admin/team?handler={handler}", new FormUrlEncodedContent(fields));
    }
}
