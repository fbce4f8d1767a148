using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.FunctionalTests.Mail;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CustomerInfo.FunctionalTests.Admin;

public class InvitationTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    private const string Owner = "owner@acme.test";
    private const string Colleague = "Colleague@Acme.test";
    private HttpClient owner = null!;

    public async Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
        owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_invited_colleague_follows_the_mailed_link_chooses_a_password_and_is_in_with_their_role()
    {
        var link = await InviteAsync(Colleague, "Staff");
        link.Host.ShouldBe("acme.localhost");

        var colleague = app.ClientFor("acme.localhost");
        var page = await AppFactory.ReadAsync(await colleague.GetAsync(link.PathAndQuery), HttpStatusCode.OK);
        page.ShouldContain("Join Acme Shoes");
        page.ShouldContain(Colleague);
        var weak = await colleague.PostAsync(link.PathAndQuery, Form(page, link, "qwertyuiop"));
        (await AppFactory.ReadAsync(weak, HttpStatusCode.OK)).ShouldContain("one of the most common ones");

        var joined = await colleague.PostAsync(link.PathAndQuery, Form(page, link, Members.Password));

        joined.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        joined.Headers.Location!.ToString().ShouldBe("/admin");
        (await AppFactory.ReadAsync(await colleague.GetAsync("/admin"), HttpStatusCode.OK)).ShouldContain("Staff");
        (await colleague.GetAsync("/admin/team")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), "colleague@acme.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK)).ShouldNotContain("Invitations not yet accepted");
    }

    [Fact]
    public async Task A_used_link_says_so_and_makes_no_second_account()
    {
        var link = await InviteAsync(Colleague, "Manager");
        var colleague = app.ClientFor("acme.localhost");
        var page = await AppFactory.ReadAsync(await colleague.GetAsync(link.PathAndQuery), HttpStatusCode.OK);
        (await colleague.PostAsync(link.PathAndQuery, Form(page, link, Members.Password))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var again = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(link.PathAndQuery), HttpStatusCode.OK);
        again.ShouldContain("This invitation has been used");
        var stranger = app.ClientFor("acme.localhost");
        var tokenPage = await AppFactory.ReadAsync(await stranger.GetAsync("/admin/signin"), HttpStatusCode.OK);
        var replay = await stranger.PostAsync(link.PathAndQuery, Form(tokenPage, link, "another long passphrase"));
        (await AppFactory.ReadAsync(replay, HttpStatusCode.OK)).ShouldContain("This invitation has been used");
        (await MembersCountAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Inviting_again_replaces_the_first_link_and_withdrawing_kills_the_second()
    {
        var first = await InviteAsync(Colleague, "Staff");
        var second = await InviteAsync(Colleague, "Staff");

        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(first.PathAndQuery), HttpStatusCode.OK)).ShouldContain("This invitation was withdrawn");
        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        var invitationId = System.Text.RegularExpressions.Regex.Match(team, "name=\"invitationId\" value=\"([^\"]+)\"").Groups[1].Value;
        var revoked = await owner.PostAsync("/admin/team?handler=Revoke", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(team)), new("invitationId", invitationId)]));
        revoked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(second.PathAndQuery), HttpStatusCode.OK)).ShouldContain("This invitation was withdrawn");
    }

    [Fact]
    public async Task An_expired_link_says_to_ask_for_a_new_one()
    {
        var link = await InviteAsync(Colleague, "Staff");
        await using (var scope = await StoreScope.EnterAsync(app, "acme"))
        {
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            var invitation = (await session.Query<Invitation>().ToListAsync()).Single();
            session.Update(invitation with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
            await session.SaveChangesAsync();
        }

        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(link.PathAndQuery), HttpStatusCode.OK)).ShouldContain("This invitation has expired");
    }

    [Theory]
    [InlineData("/admin/invitation")]
    [InlineData("/admin/invitation?token=forged")]
    [InlineData("/admin/invitation?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_forged_or_missing_token_shows_a_clear_page_and_answers_404(string path) =>
        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(path), HttpStatusCode.NotFound)).ShouldContain("This link does not work");

    [Fact]
    public async Task A_link_of_one_store_is_worth_nothing_on_another()
    {
        await app.AddStoreAsync("bravo", "Bravo Books");
        var link = await InviteAsync(Colleague, "Owner");

        (await app.ClientFor("bravo.localhost").GetAsync(link.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("not an address", "Enter an email address")]
    [InlineData("owner@acme.test", "This person is already in the team.")]
    [InlineData("OWNER@ACME.TEST", "This person is already in the team.")]
    public async Task A_bad_or_known_address_is_refused_beside_the_field(string email, string message)
    {
        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        var response = await owner.PostAsync("/admin/team?handler=Invite", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(team)), new("Invite.Email", email), new("Invite.Role", "Staff")]));

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain(System.Net.WebUtility.HtmlEncode(message).Replace("&#39;", "&#x27;"));
    }

    private async Task<Uri> InviteAsync(string email, string role)
    {
        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        var seen = app.Smtp.Messages.Select(m => m.MessageId).ToHashSet();
        var response = await owner.PostAsync("/admin/team?handler=Invite", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(team)), new("Invite.Email", email), new("Invite.Role", role)]));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var mail = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && m.To.Mailboxes.Any(b => string.Equals(b.Address, email, StringComparison.OrdinalIgnoreCase)));
        mail.Subject.ShouldNotBeNull().ShouldContain("Acme Shoes");
        mail.TextBody.ShouldNotBeNull().ShouldContain("7");
        return FakeSmtpServer.Links(mail).Single(l => l.AbsolutePath == "/admin/invitation");
    }

    private static FormUrlEncodedContent Form(string page, Uri link, string password) => new(
    [
        new("__RequestVerificationToken", Forms.AntiforgeryToken(page)),
        new("Command.Token", System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!),
        new("Command.Password", password),
    ]);

    private async Task<int> MembersCountAsync()
    {
        await using var scope = await StoreScope.EnterAsync(app, "acme");
        return await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<TeamMember>().CountAsync();
    }
}
