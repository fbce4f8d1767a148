using System.Net;
using CustomerInfo.Application.Accounts.FindMyStores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.FunctionalTests.Mail;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CustomerInfo.FunctionalTests.Platform;

public class PlatformSignInTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    private const string Answer = "We sent a mail to that address with the stores it can sign in to.";

    public async Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddStoreAsync("cedar", "Cedar Coffee");
        await app.AddMemberAsync("acme", "ann@shops.test", TeamRole.Owner);
        await app.AddMemberAsync("bravo", "Ann@Shops.test", TeamRole.Staff);
        await app.AddMemberAsync("cedar", "bob@shops.test", TeamRole.Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_address_in_two_stores_gets_one_mail_with_both_sign_in_links()
    {
        var seen = Seen();

        (await RequestAsync("ANN@shops.test")).ShouldContain(Answer);

        var mail = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, "ann@shops.test"));
        var links = FakeSmtpServer.Links(mail);
        links.ShouldContain(new Uri("http://acme.localhost/admin/signin"));
        links.ShouldContain(new Uri("http://bravo.localhost/admin/signin"));
        links.ShouldNotContain(l => l.Host == "cedar.localhost");
        mail.TextBody.ShouldNotBeNull().ShouldContain("Acme Shoes");
        mail.TextBody.ShouldContain("Bravo Books");
        await RequestsAreGoneAsync();
        await Task.Delay(500);
        app.Smtp.Messages.Count(m => !seen.Contains(m.MessageId)).ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_the_no_account_mail_with_a_trial_link()
    {
        var seen = Seen();

        (await RequestAsync("nobody@shops.test")).ShouldContain(Answer);

        var mail = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, "nobody@shops.test"));
        FakeSmtpServer.Links(mail).ShouldContain(l => l.Host == "localhost" && l.AbsolutePath == "/start");
        FakeSmtpServer.Links(mail).ShouldNotContain(l => l.AbsolutePath == "/admin/signin");
        await RequestsAreGoneAsync();
    }

    [Fact]
    public async Task Both_mails_have_one_subject_and_the_mail_speaks_the_page_language()
    {
        var seen = Seen();
        await RequestAsync("ann@shops.test");
        await RequestAsync("nobody@shops.test");
        var known = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, "ann@shops.test"));
        var unknown = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, "nobody@shops.test"));
        known.Subject.ShouldBe(unknown.Subject);

        (await RequestAsync("bob@shops.test", "nl")).ShouldContain("We hebben een e-mail naar dat adres gestuurd");
        var dutch = await app.Smtp.WaitForMessageAsync(m => !seen.Contains(m.MessageId) && To(m, "bob@shops.test"));
        dutch.Subject.ShouldNotBe(known.Subject);
    }

    [Fact]
    public async Task The_landing_page_links_to_the_sign_in()
    {
        var page = await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync("/"), HttpStatusCode.OK);
        page.ShouldContain("href=\"/signin\"");
        (await app.ClientFor("acme.localhost").GetAsync("/signin")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Not_an_address_is_refused_beside_the_field_and_nothing_is_stored()
    {
        var response = await Forms.PostAsync(app.ClientFor("localhost"), "/signin", new Dictionary<string, string> { ["Command.Email"] = "not an address" });
        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain("Enter an email address");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<StoreLinksRequest>().CountAsync()).ShouldBe(0);
    }

    private HashSet<string?> Seen() => app.Smtp.Messages.Select(m => m.MessageId).ToHashSet();

    private static bool To(MimeMessage message, string address) =>
        message.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase));

    private async Task<string> RequestAsync(string email, string language = "en")
    {
        var client = app.ClientFor("localhost");
        var response = await Forms.PostAsync(client, $"/signin?lang={language}", new Dictionary<string, string> { ["Command.Email"] = email });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return await AppFactory.ReadAsync(await client.GetAsync(response.Headers.Location!.ToString()), HttpStatusCode.OK);
    }

    private async Task RequestsAreGoneAsync() =>
        await MailJobs.EventuallyAsync(async () =>
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return !await session.Query<StoreLinksRequest>().AnyAsync();
        }, "the sign-in requests are handled and deleted");
}
