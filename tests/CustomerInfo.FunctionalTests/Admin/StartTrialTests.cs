using System.Net;
using System.Text.Json;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.FunctionalTests.Mail;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

public class StartTrialTests(MailApp app) : IClassFixture<MailApp>, IAsyncLifetime
{
    private const string Email = "founder@fresh-shoes.test";

    public async Task InitializeAsync()
    {
        app.Smtp.RefuseWith = null;
        await app.ResetAsync();
        await app.AddStoreAsync("taken", "Taken Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_retailer_signs_up_lands_in_their_admin_confirms_from_the_mail_and_the_kiosk_opens()
    {
        const string founder = "first.founder@fresh-shoes.test";
        var apex = app.ClientFor("localhost");
        var response = await StartAsync(apex, "Fresh Shoes", "Fresh-Shoes", founder, Members.Password);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var handoff = response.Headers.Location!;
        handoff.Host.ShouldBe("fresh-shoes.localhost");
        handoff.AbsolutePath.ShouldBe("/admin/continue");
        var store = app.ClientFor("fresh-shoes.localhost");
        var continued = await store.GetAsync(handoff.PathAndQuery);
        continued.Headers.Location!.ToString().ShouldBe("/admin?welcome=true");
        var admin = await AppFactory.ReadAsync(await store.GetAsync("/admin?welcome=true"), HttpStatusCode.OK);
        admin.ShouldContain("Confirm your email address to open the kiosk");
        admin.ShouldContain("Your free trial ends on");
        (await app.ClientFor("fresh-shoes.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.ClientFor("fresh-shoes.localhost").GetAsync(handoff.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.Gone);

        var mail = await app.Smtp.WaitForMessageAsync(m => m.To.Mailboxes.Any(b => b.Address == founder));
        mail.Subject.ShouldNotBeNull().ShouldContain("Fresh Shoes");
        var confirm = FakeSmtpServer.Links(mail).Single(l => l.AbsolutePath == "/admin/confirm");
        confirm.Host.ShouldBe("fresh-shoes.localhost");
        (await AppFactory.ReadAsync(await app.ClientFor("fresh-shoes.localhost").GetAsync(confirm.PathAndQuery), HttpStatusCode.OK)).ShouldContain("Your email address is confirmed");

        (await app.ClientFor("fresh-shoes.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AppFactory.ReadAsync(await app.ClientFor("fresh-shoes.localhost").GetAsync(confirm.PathAndQuery), HttpStatusCode.Gone)).ShouldContain("This address is confirmed already");
        (await AppFactory.ReadAsync(await store.GetAsync("/admin"), HttpStatusCode.OK)).ShouldNotContain("Confirm your email address to open the kiosk");
        var tenant = (await app.SendAsync(new ListTenantsQuery())).Single(t => t.Identifier == "fresh-shoes");
        tenant.Status.ShouldBe(TenantStatus.Trialing);
        tenant.TrialEndsAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(13));
    }

    [Theory]
    [InlineData("taken", "That subdomain is taken.")]
    [InlineData("TAKEN", "That subdomain is taken.")]
    [InlineData("admin", "reserved")]
    [InlineData("xn--bcher-kva", "two hyphens in the third and fourth place")]
    [InlineData("bad_name", "digits and hyphens")]
    public async Task A_subdomain_that_cannot_be_had_is_refused_and_nothing_is_made(string subdomain, string message)
    {
        var response = await StartAsync(app.ClientFor("localhost"), "Copy Cat", subdomain, Email, Members.Password);

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain(System.Net.WebUtility.HtmlEncode(message));
        (await app.SendAsync(new ListTenantsQuery())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task In_dutch_the_page_and_its_messages_are_dutch()
    {
        var response = await Forms.PostAsync(app.ClientFor("localhost"), "/start?lang=nl", new Dictionary<string, string>
        {
            ["Command.CompanyName"] = "Verse Schoenen",
            ["Command.Subdomain"] = "taken",
            ["Command.Email"] = "x",
            ["Command.Password"] = "kort",
        });

        var page = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        page.ShouldContain("Start je gratis proefperiode");
        page.ShouldContain("Dat subdomein is al bezet. Kies een ander.");
        page.ShouldContain("Gebruik minstens 10 tekens.");
        page.ShouldContain("Vul je zakelijke e-mailadres in");
        var check = await app.ClientFor("localhost").GetAsync("/start?handler=Availability&subdomain=taken&lang=nl");
        (await AppFactory.ReadAsync(check, HttpStatusCode.OK)).ShouldContain("Dat subdomein is al bezet.");
    }

    [Theory]
    [InlineData("short", "Use at least 10 characters.")]
    [InlineData("1234567890", "one of the most common ones")]
    public async Task A_weak_password_is_refused_with_the_rule(string password, string message)
    {
        var response = await StartAsync(app.ClientFor("localhost"), "Fresh Shoes", "fresh", Email, password);

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain(message);
        (await app.SendAsync(new ListTenantsQuery())).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("a@b")]
    public async Task A_bad_address_is_refused(string email)
    {
        var response = await StartAsync(app.ClientFor("localhost"), "Fresh Shoes", "fresh", email, Members.Password);

        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain("Enter your work email address");
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ ̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳ ̞̥̱̳̭r̛̗̘e͙p͠r̼̞̻̭̗e̺̠̣͟s̘͇̳͍̝͉e͉̥̯̞̲͚̬͜ǹ̬͎͎̟̖͇̤t͍̬̤͓̼̭͘ͅi̪̱n͠g̴͉ ͏͉ͅc̬̟h͡a̫̻̯͘o̫̟̖͍̙̝͉s̗̦̲.̨̹͈̣")]
    [InlineData("Café 👟 & Co")]
    public async Task A_hostile_or_unusual_company_name_is_kept_as_text_and_never_runs(string name)
    {
        var response = await StartAsync(app.ClientFor("localhost"), name, "odd-name", Email, Members.Password);

        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var store = app.ClientFor("odd-name.localhost");
            await store.GetAsync(response.Headers.Location!.PathAndQuery);
            var admin = await AppFactory.ReadAsync(await store.GetAsync("/admin"), HttpStatusCode.OK);
            admin.ShouldNotContain("<script>alert(1)</script>");
        }
        else
        {
            (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldNotContain("<script>alert(1)</script>");
        }
    }

    [Fact]
    public async Task The_live_check_says_available_taken_or_why_not_as_json()
    {
        var apex = app.ClientFor("localhost");

        (await CheckAsync(apex, "fresh")).GetProperty("available").GetBoolean().ShouldBeTrue();
        var taken = await CheckAsync(apex, "Taken");
        taken.GetProperty("available").GetBoolean().ShouldBeFalse();
        taken.GetProperty("message").GetString().ShouldBe("That subdomain is taken. Choose another.");
        (await CheckAsync(apex, "-x")).GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_forged_hand_off_signs_nobody_in()
    {
        await StartAsync(app.ClientFor("localhost"), "Fresh Shoes", "fresh", Email, Members.Password);

        var forged = await app.ClientFor("fresh.localhost").GetAsync("/admin/continue?token=forged");
        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("fresh.localhost").GetAsync("/admin/confirm?token=forged")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_page_without_an_antiforgery_token_is_refused()
    {
        var response = await app.ClientFor("localhost").PostAsync("/start", new FormUrlEncodedContent([new("Command.Subdomain", "csrf")]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.SendAsync(new ListTenantsQuery())).Count.ShouldBe(1);
    }

    private static async Task<JsonElement> CheckAsync(HttpClient client, string subdomain)
    {
        var response = await client.GetAsync($"/start?handler=Availability&subdomain={Uri.EscapeDataString(subdomain)}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(await AppFactory.ReadAsync(response, HttpStatusCode.OK)).RootElement;
    }

    private static async Task<HttpResponseMessage> StartAsync(HttpClient client, string company, string subdomain, string email, string password) =>
        await Forms.PostAsync(client, "/start", new Dictionary<string, string>
        {
            ["Command.CompanyName"] = company,
            ["Command.Subdomain"] = subdomain,
            ["Command.Email"] = email,
            ["Command.Password"] = password,
        });
}
