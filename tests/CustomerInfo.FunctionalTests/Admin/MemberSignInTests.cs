using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Admin;

public class MemberSignInTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Ann = "ann@acme.test";

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddMemberAsync("acme", Ann, TeamRole.Owner);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_member_signs_in_on_their_store_reaches_the_admin_and_signs_out()
    {
        var client = app.ClientFor("acme.localhost");
        (await client.GetAsync("/admin")).Headers.Location!.ToString().ShouldStartWith("http://acme.localhost/admin/signin");

        var response = await Members.SignInAsync(client, " ANN@acme.test ");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/admin");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".CustomerInfo.Member=", StringComparison.Ordinal));
        cookie.ShouldContain("path=/admin");
        cookie.ShouldContain("httponly");
        cookie.ShouldNotContain("domain=");

        var admin = await AppFactory.ReadAsync(await client.GetAsync("/admin"), HttpStatusCode.OK);
        admin.ShouldContain("Getting started");
        admin.ShouldContain("Acme Shoes");

        var signOut = await client.PostAsync("/admin/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", Forms.AntiforgeryToken(admin))]));
        signOut.Headers.Location!.ToString().ShouldBe("/admin/signin?signedOut=true");
        (await client.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_session_cookie_copied_before_sign_out_opens_nothing_afterwards()
    {
        var client = app.ClientFor("acme.localhost");
        var cookie = await Members.SignedInAsync(client, Ann);
        (await Members.GetWithCookieAsync(app, "acme.localhost", "/admin", cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var admin = await AppFactory.ReadAsync(await client.GetAsync("/admin"), HttpStatusCode.OK);
        await client.PostAsync("/admin/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", Forms.AntiforgeryToken(admin))]));

        var replayed = await Members.GetWithCookieAsync(app, "acme.localhost", "/admin", cookie);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        replayed.Headers.Location!.ToString().ShouldContain("/admin/signin");
    }

    [Fact]
    public async Task A_cookie_copied_to_another_store_grants_nothing_there()
    {
        await app.AddMemberAsync("bravo", Ann, TeamRole.Owner, "a different passphrase");
        var cookie = await Members.SignedInAsync(app.ClientFor("acme.localhost"), Ann);

        var elsewhere = await Members.GetWithCookieAsync(app, "bravo.localhost", "/admin", cookie);

        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        elsewhere.Headers.Location!.ToString().ShouldContain("/admin/signin");
        (await Members.GetWithCookieAsync(app, "localhost", "/owner", cookie)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task One_address_in_two_teams_is_two_accounts_with_their_own_passwords()
    {
        await app.AddMemberAsync("bravo", Ann, TeamRole.Staff, "a different passphrase");

        (await Members.SignInAsync(app.ClientFor("bravo.localhost"), Ann)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Members.SignInAsync(app.ClientFor("bravo.localhost"), Ann, "a different passphrase")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_address_get_the_same_answer()
    {
        var wrong = await AppFactory.ReadAsync(await Members.SignInAsync(app.ClientFor("acme.localhost"), Ann, "not the passphrase"), HttpStatusCode.OK);
        var unknown = await AppFactory.ReadAsync(await Members.SignInAsync(app.ClientFor("acme.localhost"), "nobody@acme.test"), HttpStatusCode.OK);

        wrong.ShouldContain("That email and password do not match.");
        unknown.ShouldContain("That email and password do not match.");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var client = app.ClientFor("acme.localhost");
        for (var i = 0; i < 4; i++)
        {
            (await AppFactory.ReadAsync(await Members.SignInAsync(client, Ann, $"wrong guess {i}"), HttpStatusCode.OK)).ShouldContain("do not match");
        }

        (await AppFactory.ReadAsync(await Members.SignInAsync(client, Ann, "wrong guess 4"), HttpStatusCode.OK)).ShouldContain("Too many wrong passwords");
        (await AppFactory.ReadAsync(await Members.SignInAsync(client, Ann), HttpStatusCode.OK)).ShouldContain("Too many wrong passwords");
    }

    [Fact]
    public async Task The_return_address_stays_inside_the_admin()
    {
        var client = app.ClientFor("acme.localhost");
        var response = await Forms.PostAsync(client, "/admin/signin?returnUrl=%2F%2Fevil.example%2F", new Dictionary<string, string>
        {
            ["Command.Email"] = Ann,
            ["Command.Password"] = Members.Password,
        });

        response.Headers.Location!.ToString().ShouldBe("/admin");
    }

    [Fact]
    public async Task The_platform_owners_session_grants_nothing_in_a_stores_admin()
    {
        var owner = app.ClientFor("localhost");
        var response = await Forms.PostAsync(owner, "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = AppFactory.OwnerPassword,
        });
        var cookie = Members.SessionCookie(response, ".CustomerInfo.Owner");

        (await Members.GetWithCookieAsync(app, "acme.localhost", "/admin", cookie)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Members.GetWithCookieAsync(app, "localhost", "/owner", cookie)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
