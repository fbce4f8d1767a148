using System.Net;
using CustomerInfo.FunctionalTests.Mail;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Owner;

public class FirstOwnerTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        await app.ResetAsync();
        await app.AddStoreAsync("oldshop", "Old Shop");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_platform_owner_invites_a_moved_retailers_first_owner_who_joins_and_shows_in_the_console()
    {
        var console = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(console);
        var page = await AppFactory.ReadAsync(await console.GetAsync("/owner"), HttpStatusCode.OK);
        page.ShouldContain("Invite the first Owner of Old Shop");
        var tenantId = System.Text.RegularExpressions.Regex.Match(page, "name=\"Owner.TenantId\" value=\"([^\"]+)\"").Groups[1].Value;

        var invited = await console.PostAsync("/owner?handler=InviteOwner", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(page)), new("Owner.TenantId", tenantId), new("Owner.Email", "retailer@oldshop.test")]));
        invited.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var mail = await app.Smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == "retailer@oldshop.test"));
        var link = FakeSmtpServer.Links(mail).Single(l => l.AbsolutePath == "/admin/invitation");
        var retailer = app.ClientFor("oldshop.localhost");
        var join = await AppFactory.ReadAsync(await retailer.GetAsync(link.PathAndQuery), HttpStatusCode.OK);
        join.ShouldContain("Owner");
        var joined = await retailer.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Forms.AntiforgeryToken(join)),
            new("Command.Token", System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!),
            new("Command.Password", Members.Password),
        ]));
        joined.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await retailer.GetAsync("/admin/team")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await AppFactory.ReadAsync(await console.GetAsync("/owner"), HttpStatusCode.OK);
        after.ShouldContain("retailer@oldshop.test");
        after.ShouldNotContain("Invite the first Owner of Old Shop");
    }

    [Fact]
    public async Task A_bad_address_is_refused_beside_the_store()
    {
        var console = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(console);
        var page = await AppFactory.ReadAsync(await console.GetAsync("/owner"), HttpStatusCode.OK);
        var tenantId = System.Text.RegularExpressions.Regex.Match(page, "name=\"Owner.TenantId\" value=\"([^\"]+)\"").Groups[1].Value;

        var refused = await console.PostAsync("/owner?handler=InviteOwner", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(page)), new("Owner.TenantId", tenantId), new("Owner.Email", "nope")]));

        (await AppFactory.ReadAsync(refused, HttpStatusCode.OK)).ShouldContain("Enter the Owner&#x27;s email address");
    }
}
