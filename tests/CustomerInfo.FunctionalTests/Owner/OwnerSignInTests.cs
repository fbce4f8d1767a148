using System.Net;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Owner;

public class OwnerSignInTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_owner_signs_in_sees_the_stores_and_signs_out()
    {
        var client = app.ClientFor("localhost");
        var response = await Forms.PostAsync(client, "/owner/signin?returnUrl=%2Fowner", new Dictionary<string, string>
        {
            ["Command.Email"] = " OWNER@example.test ",
            ["Command.Password"] = AppFactory.OwnerPassword,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/owner");

        var console = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        console.ShouldContain("Demo Store");
        console.ShouldContain("http://demo.localhost/");

        var token = Forms.AntiforgeryToken(console);
        var signOut = await client.PostAsync("/owner/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.ToString().ShouldBe("/");
        (await client.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        var response = await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = "wrong",
        });

        var body = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        body.ShouldContain("That email and password do not match.");
        body.ShouldContain(AppFactory.OwnerEmail);
    }

    [Fact]
    public async Task Empty_fields_show_an_error_next_to_each()
    {
        var response = await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin", new Dictionary<string, string>());

        var body = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        body.ShouldContain("Enter your email address.");
        body.ShouldContain("Enter your password.");
    }

    [Fact]
    public async Task A_foreign_return_url_is_ignored()
    {
        var response = await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin?returnUrl=https%3A%2F%2Fevil.example%2F", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = AppFactory.OwnerPassword,
        });

        response.Headers.Location!.ToString().ShouldBe("/owner");
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_refused_with_a_clear_page()
    {
        var response = await app.ClientFor("localhost").PostAsync("/owner/signin", new FormUrlEncodedContent([new("Command.Email", "x"), new("Command.Password", "y")]));
        (await AppFactory.ReadAsync(response, HttpStatusCode.BadRequest)).ShouldContain("That request was not understood");
    }

    [Fact]
    public async Task A_cookie_captured_before_sign_out_opens_neither_the_console_nor_the_dashboard_afterwards()
    {
        var client = app.ClientFor("localhost");
        var response = await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = AppFactory.OwnerPassword,
        });
        var cookie = Members.SessionCookie(response, ".CustomerInfo.Owner");
        (await Members.GetWithCookieAsync(app, "localhost", "/hangfire", cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var console = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        await client.PostAsync("/owner/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", Forms.AntiforgeryToken(console))]));

        (await Members.GetWithCookieAsync(app, "localhost", "/owner", cookie)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Members.GetWithCookieAsync(app, "localhost", "/hangfire", cookie)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_owner_sign_in_even_against_the_right_one()
    {
        var client = app.ClientFor("localhost");
        for (var i = 0; i < 4; i++)
        {
            var wrong = await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string> { ["Command.Email"] = AppFactory.OwnerEmail, ["Command.Password"] = $"guess {i}" });
            (await AppFactory.ReadAsync(wrong, HttpStatusCode.OK)).ShouldContain("do not match");
        }

        var fifth = await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string> { ["Command.Email"] = "someone@else.test", ["Command.Password"] = "guess 5" });
        (await AppFactory.ReadAsync(fifth, HttpStatusCode.OK)).ShouldContain("Too many wrong passwords");
        var right = await Forms.PostAsync(client, "/owner/signin", new Dictionary<string, string> { ["Command.Email"] = AppFactory.OwnerEmail, ["Command.Password"] = AppFactory.OwnerPassword });
        (await AppFactory.ReadAsync(right, HttpStatusCode.OK)).ShouldContain("Too many wrong passwords");
    }
}
