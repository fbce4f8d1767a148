using System.Net;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>Two-factor sign-in of a store's team (issue 14 §4): the code step, recovery codes, setting it up, the team's rule.</summary>
public class TwoFactorSignInTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Ann = "ann@acme.test";
    private const string Max = "max@acme.test";
    private TeamMember ann = null!;
    private TeamMember max = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        ann = await app.AddMemberAsync("acme", Ann, TeamRole.Owner);
        max = await app.AddMemberAsync("acme", Max, TeamRole.Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_password_alone_makes_no_session_for_a_member_with_two_factor_the_code_does()
    {
        var (key, _) = await TwoFactor.EnableAsync(app, "acme", Ann);
        var client = app.ClientFor("acme.localhost");

        var password = await Members.SignInAsync(client, Ann);
        password.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        password.Headers.Location!.ToString().ShouldStartWith("/admin/signin/code");
        var cookies = password.Headers.GetValues("Set-Cookie").ToList();
        cookies.ShouldNotContain(c => c.StartsWith(".CustomerInfo.Member=", StringComparison.Ordinal));
        cookies.Single(c => c.StartsWith(".CustomerInfo.TwoFactor=", StringComparison.Ordinal)).ShouldContain("httponly");
        (await client.GetAsync("/admin")).Headers.Location!.ToString().ShouldContain("/admin/signin");

        var step = await AppFactory.ReadAsync(await client.GetAsync("/admin/signin/code"), HttpStatusCode.OK);
        step.ShouldContain("Enter your code");
        var code = await Forms.PostAsync(client, "/admin/signin/code", new Dictionary<string, string> { ["Code"] = TwoFactor.CodeFor(key) });
        code.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        code.Headers.Location!.ToString().ShouldBe("/admin");
        (await client.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var signedIn = (await TwoFactor.EventsOfAsync(app, "acme", ann.Id)).Last(e => e.Data is MemberSignedIn);
        signedIn.Data.ShouldBeOfType<MemberSignedIn>().WithSecondFactor.ShouldBeTrue();
        signedIn.Headers!["actor"].ToString().ShouldBe($"member:{ann.Id}");
    }

    [Fact]
    public async Task A_password_only_sign_in_is_recorded_as_the_member_from_their_address()
    {
        await Members.SignedInAsync(app.ClientFor("acme.localhost"), Max);

        var signedIn = (await TwoFactor.EventsOfAsync(app, "acme", max.Id)).Single(e => e.Data is MemberSignedIn);
        signedIn.Data.ShouldBe(new MemberSignedIn(max.Id, false, ((MemberSignedIn)signedIn.Data).SignedInAt));
        signedIn.Headers!["actor"].ToString().ShouldBe($"member:{max.Id}");
    }

    [Fact]
    public async Task A_wrong_code_and_a_code_used_before_are_refused_in_english_and_dutch()
    {
        var (key, _) = await TwoFactor.EnableAsync(app, "acme", Ann);
        var client = app.ClientFor("acme.localhost");
        var wrong = await TwoFactor.SignInAsync(client, Ann, WrongCodeFor(key));
        (await AppFactory.ReadAsync(wrong, HttpStatusCode.OK)).ShouldContain("That code is not right, or was already used.");

        var code = TwoFactor.CodeFor(key);
        (await Forms.PostAsync(client, "/admin/signin/code", new Dictionary<string, string> { ["Code"] = code })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var again = app.ClientFor("acme.localhost");
        await Members.SignInAsync(again, Ann);
        var replay = await Forms.PostAsync(again, "/admin/signin/code?lang=nl", new Dictionary<string, string> { ["Code"] = code });
        (await AppFactory.ReadAsync(replay, HttpStatusCode.OK)).ShouldContain("Die code klopt niet of is al gebruikt.");
        (await again.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_the_use_is_recorded()
    {
        var (_, codes) = await TwoFactor.EnableAsync(app, "acme", Ann);

        var first = await TwoFactor.SignInAsync(app.ClientFor("acme.localhost"), Ann, codes[3].ToLowerInvariant());
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var used = (await TwoFactor.EventsOfAsync(app, "acme", ann.Id)).Select(e => e.Data).OfType<MemberRecoveryCodeUsed>().Single();
        used.CodesLeft.ShouldBe(9);

        var second = await TwoFactor.SignInAsync(app.ClientFor("acme.localhost"), Ann, codes[3]);
        (await AppFactory.ReadAsync(second, HttpStatusCode.OK)).ShouldContain("That code is not right");
        (await TwoFactor.SignInAsync(app.ClientFor("acme.localhost"), Ann, codes[4])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_code_step_is_good_for_one_sign_in_and_not_without_the_password_step()
    {
        var (key, _) = await TwoFactor.EnableAsync(app, "acme", Ann);
        var stranger = app.ClientFor("acme.localhost");
        (await stranger.GetAsync("/admin/signin/code")).Headers.Location!.ToString().ShouldContain("/admin/signin?expired=True", Case.Insensitive);

        var client = app.ClientFor("acme.localhost");
        var password = await Members.SignInAsync(client, Ann);
        var pending = Members.SessionCookie(password, ".CustomerInfo.TwoFactor");
        var page = await AppFactory.ReadAsync(await client.GetAsync("/admin/signin/code"), HttpStatusCode.OK);
        (await client.PostAsync("/admin/signin/code", new FormUrlEncodedContent([new("Code", TwoFactor.CodeFor(key)), new("__RequestVerificationToken", Forms.AntiforgeryToken(page))])))
            .Headers.Location!.ToString().ShouldBe("/admin");

        // The same attempt again, with a fresh code: the attempt was spent.
        using var thief = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://acme.localhost"), AllowAutoRedirect = false, HandleCookies = false });
        using var get = new HttpRequestMessage(HttpMethod.Get, "/admin/signin/code");
        get.Headers.Add("Cookie", pending);
        var form = await thief.SendAsync(get);
        var html = await AppFactory.ReadAsync(form, HttpStatusCode.OK);
        var antiforgery = form.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/signin/code")
        {
            Content = new FormUrlEncodedContent([new("Code", TwoFactor.CodeFor(key, 1)), new("__RequestVerificationToken", Forms.AntiforgeryToken(html))]),
        };
        post.Headers.Add("Cookie", pending + "; " + antiforgery);
        var replayed = await thief.SendAsync(post);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        replayed.Headers.Location!.ToString().ShouldContain("expired=True", Case.Insensitive);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account()
    {
        var (key, _) = await TwoFactor.EnableAsync(app, "acme", Ann);
        var client = app.ClientFor("acme.localhost");
        await Members.SignInAsync(client, Ann);
        string html = "";
        for (var i = 0; i < AccountsLockout; i++)
        {
            html = await AppFactory.ReadAsync(await Forms.PostAsync(client, "/admin/signin/code", new Dictionary<string, string> { ["Code"] = WrongCodeFor(key) }), HttpStatusCode.OK);
        }

        html.ShouldContain("Too many wrong codes.");
        var right = await Forms.PostAsync(client, "/admin/signin/code", new Dictionary<string, string> { ["Code"] = TwoFactor.CodeFor(key) });
        (await AppFactory.ReadAsync(right, HttpStatusCode.OK)).ShouldContain("Too many wrong codes.");
    }

    [Fact]
    public async Task A_member_sets_it_up_on_the_account_security_page_renews_the_codes_and_turns_it_off()
    {
        var client = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(client, Max);
        var page = await AppFactory.ReadAsync(await client.GetAsync("/admin/security"), HttpStatusCode.OK);
        page.ShouldContain("<svg");
        page.ShouldContain("aria-label=\"QR code to add this account to an authenticator app\"");
        var key = TwoFactor.KeyOnPage(page);
        // The key is the same until used: reloading the page does not change it.
        TwoFactor.KeyOnPage(await AppFactory.ReadAsync(await client.GetAsync("/admin/security"), HttpStatusCode.OK)).ShouldBe(key);

        var empty = await PostAsync(client, "/admin/security", "Enable", new Dictionary<string, string> { ["Code"] = "" });
        (await AppFactory.ReadAsync(empty, HttpStatusCode.OK)).ShouldContain("Enter the 6-digit code from your authenticator app.");
        var wrong = await PostAsync(client, "/admin/security", "Enable", new Dictionary<string, string> { ["Code"] = WrongCodeFor(key) });
        (await AppFactory.ReadAsync(wrong, HttpStatusCode.OK)).ShouldContain("That code is not right");

        var enabled = await AppFactory.ReadAsync(await PostAsync(client, "/admin/security", "Enable", new Dictionary<string, string> { ["Code"] = TwoFactor.CodeFor(key) }), HttpStatusCode.OK);
        var codes = TwoFactor.RecoveryCodesOnPage(enabled);
        codes.Count.ShouldBe(10);
        enabled.ShouldContain("Two-factor sign-in is on");
        // The session goes on (its stamp was renewed with the setting); the codes are not shown again.
        var again = await AppFactory.ReadAsync(await client.GetAsync("/admin/security"), HttpStatusCode.OK);
        TwoFactor.RecoveryCodesOnPage(again).ShouldBeEmpty();
        again.ShouldContain("Recovery codes left: 10.");

        var renewed = TwoFactor.RecoveryCodesOnPage(await AppFactory.ReadAsync(await PostAsync(client, "/admin/security", "Renew", new Dictionary<string, string>()), HttpStatusCode.OK));
        renewed.Count.ShouldBe(10);
        renewed.ShouldNotContain(codes[0]);

        // Stored hashed: no code and no key in the member's document as written.
        await using (var scope = await StoreScope.EnterAsync(app, "acme"))
        {
            var json = (await scope.ServiceProvider.GetRequiredService<IQuerySession>().Json.FindByIdAsync<TeamMember>(max.Id)).ShouldNotBeNull();
            json.ShouldNotContain(renewed[0]);
            json.ShouldNotContain(renewed[0].Replace("-", "", StringComparison.Ordinal));
            json.ShouldNotContain(key);
        }

        var offWrong = await PostAsync(client, "/admin/security", "Disable", new Dictionary<string, string> { ["Proof"] = "not my password" });
        (await AppFactory.ReadAsync(offWrong, HttpStatusCode.OK)).ShouldContain("That is not a current code from your app, nor your password.");
        var off = await PostAsync(client, "/admin/security", "Disable", new Dictionary<string, string> { ["Proof"] = Members.Password });
        off.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await client.GetAsync("/admin/security"), HttpStatusCode.OK)).ShouldContain("Two-factor sign-in is off.");

        (await TwoFactor.EventsOfAsync(app, "acme", max.Id)).Select(e => e.Data.GetType()).ShouldBe(
            [typeof(MemberSignedIn), typeof(MemberTwoFactorEnabled), typeof(MemberRecoveryCodesRenewed), typeof(MemberTwoFactorDisabled)]);
        (await Members.SignInAsync(app.ClientFor("acme.localhost"), Max)).Headers.Location!.ToString().ShouldBe("/admin");
    }

    [Fact]
    public async Task When_the_team_requires_it_an_owner_sets_it_up_before_any_other_admin_page_and_cannot_turn_it_off()
    {
        var owner = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(owner, Ann);
        var manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Max);

        var team = await AppFactory.ReadAsync(await owner.GetAsync("/admin/team"), HttpStatusCode.OK);
        team.ShouldContain("Off: two-factor sign-in is each member");
        (await PostAsync(owner, "/admin/team", "TwoFactorRule", new Dictionary<string, string> { ["required"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tenant = await app.TenantAsync("acme");
        tenant.OwnersMustUseTwoFactor.ShouldBeTrue();

        // This very session, made before the rule: every admin page but the security page sends it there.
        foreach (var path in new[] { "/admin", "/admin/team", "/admin/signups", "/admin/privacy" })
        {
            (await owner.GetAsync(path)).Headers.Location!.ToString().ShouldBe("/admin/security?required=true", path);
        }

        var security = await AppFactory.ReadAsync(await owner.GetAsync("/admin/security?required=true"), HttpStatusCode.OK);
        security.ShouldContain("Your team requires Owners to use two-factor sign-in.");
        (await manager.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var key = TwoFactor.KeyOnPage(security);
        await PostAsync(owner, "/admin/security", "Enable", new Dictionary<string, string> { ["Code"] = TwoFactor.CodeFor(key) });
        (await owner.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var off = await PostAsync(owner, "/admin/security", "Disable", new Dictionary<string, string> { ["Proof"] = Members.Password });
        off.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AppFactory.ReadAsync(off, HttpStatusCode.Conflict)).ShouldContain("cannot be turned off");

        await using var scope = await StoreScope.EnterAsync(app, "acme");
        var events = await scope.ServiceProvider.GetRequiredService<IDocumentSession>().Events.FetchStreamAsync(tenant.Id);
        var rule = events.Single(e => e.Data is TenantTwoFactorRequirementSet);
        rule.Data.ShouldBeOfType<TenantTwoFactorRequirementSet>().OwnersMustUseTwoFactor.ShouldBeTrue();
        rule.Headers!["actor"].ToString().ShouldBe($"member:{ann.Id}");
    }

    [Fact]
    public async Task Only_an_owner_sets_the_team_rule()
    {
        var manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Max);
        var admin = await AppFactory.ReadAsync(await manager.GetAsync("/admin"), HttpStatusCode.OK);
        var post = await manager.PostAsync("/admin/team?handler=TwoFactorRule", new FormUrlEncodedContent([new("required", "true"), new("__RequestVerificationToken", Forms.AntiforgeryToken(admin))]));
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.TenantAsync("acme")).OwnersMustUseTwoFactor.ShouldBeFalse();
    }

    private const int AccountsLockout = 5;

    /// <summary>Fetches the page for its antiforgery token and posts to one of its handlers.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        var html = await AppFactory.ReadAsync(await client.GetAsync(page), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(html);
        return await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    /// <summary>A code no step of the window shows for the key.</summary>
    private static string WrongCodeFor(string key)
    {
        var near = Enumerable.Range(-2, 5).Select(s => TwoFactor.CodeFor(key, s)).ToHashSet();
        return Enumerable.Range(0, 20).Select(i => (123456 + i * 7919).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !near.Contains(c));
    }
}
