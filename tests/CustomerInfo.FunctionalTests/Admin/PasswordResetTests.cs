using System.Net;
using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.ForgotPassword;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.FunctionalTests.Mail;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CustomerInfo.FunctionalTests.Admin;

public class PasswordResetTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    private const string Ann = "ann@acme.test";
    private const string NewPassword = "a brand new passphrase";
    private Guid acme;

    public async Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Ann, TeamRole.Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_member_resets_the_password_through_the_mailed_link_and_every_old_session_ends()
    {
        var oldSession = await Members.SignedInAsync(app.ClientFor("acme.localhost"), Ann);
        var seen = Seen();

        var answer = await ForgotAsync(" ANN@acme.test ");
        answer.ShouldContain("If an account of this store uses that address, we sent a link to reset its password. The link works for an hour.");
        var mail = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, Ann));
        mail.Subject.ShouldNotBeNull().ShouldContain("Acme Shoes");
        var link = FakeSmtpServer.Links(mail).Single(l => l.AbsolutePath == "/admin/reset-password");
        link.Host.ShouldBe("acme.localhost");

        var client = app.ClientFor("acme.localhost");
        var page = await AppFactory.ReadAsync(await client.GetAsync(link.PathAndQuery), HttpStatusCode.OK);
        page.ShouldContain("Choose a new password");
        page.ShouldContain("At least 10 characters");
        var weak = await client.PostAsync(link.PathAndQuery, Form(page, link, "qwertyuiop"));
        (await AppFactory.ReadAsync(weak, HttpStatusCode.OK)).ShouldContain("one of the most common ones");

        var changed = await client.PostAsync(link.PathAndQuery, Form(page, link, NewPassword));

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        changed.Headers.Location!.ToString().ShouldBe("/admin/signin?passwordChanged=true");
        (await AppFactory.ReadAsync(await client.GetAsync(changed.Headers.Location.ToString()), HttpStatusCode.OK))
            .ShouldContain("Your password is changed. Sign in with the new one.");
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Ann)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Ann, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stale = await Members.GetWithCookieAsync(app, "acme.localhost", "/admin", oldSession);
        stale.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        stale.Headers.Location!.AbsolutePath.ShouldBe("/admin/signin");

        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(link.PathAndQuery), HttpStatusCode.OK)).ShouldContain("This link has been used");
        var replay = await client.PostAsync(link.PathAndQuery, Form(page, link, "yet another passphrase"));
        (await AppFactory.ReadAsync(replay, HttpStatusCode.OK)).ShouldContain("This link has been used");
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Ann, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await EventsOfAsync(Ann)).ShouldContain(typeof(MemberPasswordChanged));
        await RequestsAreGoneAsync();
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_mail()
    {
        (await ForgotAsync("nobody@acme.test")).ShouldContain(
            "If an account of this store uses that address, we sent a link to reset its password. The link works for an hour.");

        await RequestsAreGoneAsync();
        await Task.Delay(500);
        app.Smtp.Messages.ShouldNotContain(m => To(m, "nobody@acme.test"));
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<QueuedMail>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_link_older_than_an_hour_says_it_has_expired()
    {
        var member = await MemberAsync(Ann);
        var hourAgo = new FakeClock { UtcNow = DateTimeOffset.UtcNow - AccountTokenRules.LifetimeOf(AccountTokenPurpose.ResetPassword) - TimeSpan.FromMinutes(1) };
        var token = new AccountTokens(app.Services.GetRequiredService<IDataProtectionProvider>(), hourAgo).Issue(AccountTokenPurpose.ResetPassword, acme, member);

        var page = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync($"/admin/reset-password?token={token}"), HttpStatusCode.OK);

        page.ShouldContain("This link has expired");
        page.ShouldContain("href=\"/admin/forgot-password\"");
    }

    [Fact]
    public async Task A_link_made_before_the_password_changed_has_been_used()
    {
        var token = Issue(AccountTokenPurpose.ResetPassword, await MemberAsync(Ann));
        await using (var scope = await StoreScope.EnterAsync(app, "acme"))
        {
            var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
            var member = (await session.Query<TeamMember>().ToListAsync()).Single();
            member.SecurityStamp = NewMembers.NewStamp();
            session.Update(member);
            await session.SaveChangesAsync();
        }

        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync($"/admin/reset-password?token={token}"), HttpStatusCode.OK))
            .ShouldContain("This link has been used");
    }

    [Theory]
    [InlineData("/admin/reset-password")]
    [InlineData("/admin/reset-password?token=forged")]
    [InlineData("/admin/reset-password?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_forged_or_missing_token_says_the_link_does_not_work_with_404(string path) =>
        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync(path), HttpStatusCode.NotFound)).ShouldContain("This link does not work");

    [Fact]
    public async Task A_token_for_another_purpose_or_another_store_does_not_work()
    {
        await app.AddStoreAsync("bravo", "Bravo Books");
        var member = await MemberAsync(Ann);
        var confirm = Issue(AccountTokenPurpose.ConfirmEmail, member);
        var reset = Issue(AccountTokenPurpose.ResetPassword, member);

        (await app.ClientFor("acme.localhost").GetAsync($"/admin/reset-password?token={confirm}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("bravo.localhost").GetAsync($"/admin/reset-password?token={reset}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var client = app.ClientFor("acme.localhost");
        var page = await AppFactory.ReadAsync(await client.GetAsync($"/admin/reset-password?token={reset}"), HttpStatusCode.OK);
        var forged = await client.PostAsync("/admin/reset-password", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", Forms.AntiforgeryToken(page)), new("Command.Token", reset + "x"), new("Command.Password", NewPassword)]));
        (await AppFactory.ReadAsync(forged, HttpStatusCode.NotFound)).ShouldContain("This link does not work");
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Ann)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task At_most_five_reset_mails_go_to_one_address_in_a_quarter_of_an_hour()
    {
        var seen = Seen();
        for (var i = 0; i < 6; i++)
        {
            (await ForgotAsync(Ann)).ShouldContain("we sent a link to reset its password");
        }

        await RequestsAreGoneAsync();
        await MailJobs.EventuallyAsync(async () => app.Smtp.Messages.Count(m => !seen.Contains(m.MessageId) && To(m, Ann)) >= 5, "five reset mails");
        await Task.Delay(500);
        app.Smtp.Messages.Count(m => !seen.Contains(m.MessageId) && To(m, Ann)).ShouldBe(5);
    }

    [Fact]
    public async Task The_forgot_password_page_is_linked_from_the_sign_in_and_speaks_dutch()
    {
        (await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/admin/signin"), HttpStatusCode.OK)).ShouldContain("href=\"/admin/forgot-password\"");
        var page = await AppFactory.ReadAsync(await app.ClientFor("acme.localhost").GetAsync("/admin/forgot-password?lang=nl"), HttpStatusCode.OK);
        page.ShouldContain("Wachtwoord opnieuw instellen");
    }

    private HashSet<string?> Seen() => app.Smtp.Messages.Select(m => m.MessageId).ToHashSet();

    private static bool To(MimeMessage message, string address) =>
        message.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase));

    private async Task<string> ForgotAsync(string email)
    {
        var client = app.ClientFor("acme.localhost");
        var response = await Forms.PostAsync(client, "/admin/forgot-password", new Dictionary<string, string> { ["Command.Email"] = email });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return await AppFactory.ReadAsync(await client.GetAsync(response.Headers.Location!.ToString()), HttpStatusCode.OK);
    }

    private string Issue(AccountTokenPurpose purpose, TeamMember member) =>
        app.Services.GetRequiredService<AccountTokens>().Issue(purpose, acme, member);

    private async Task<TeamMember> MemberAsync(string email)
    {
        await using var scope = await StoreScope.EnterAsync(app, "acme");
        var normalized = email.ToUpperInvariant();
        return await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<TeamMember>().SingleAsync(m => m.NormalizedEmail == normalized);
    }

    private async Task<IReadOnlyList<Type>> EventsOfAsync(string email)
    {
        var member = await MemberAsync(email);
        await using var scope = await StoreScope.EnterAsync(app, "acme");
        var events = await scope.ServiceProvider.GetRequiredService<IQuerySession>().Events.FetchStreamAsync(member.Id);
        return [.. events.Select(e => e.EventType)];
    }

    private async Task RequestsAreGoneAsync() =>
        await MailJobs.EventuallyAsync(async () =>
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return !await session.Query<PasswordResetRequest>().Where(r => r.AnyTenant()).AnyAsync();
        }, "the reset requests are handled and deleted");

    private static FormUrlEncodedContent Form(string page, Uri link, string password) => new(
    [
        new("__RequestVerificationToken", Forms.AntiforgeryToken(page)),
        new("Command.Token", System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!),
        new("Command.Password", password),
    ]);
}
