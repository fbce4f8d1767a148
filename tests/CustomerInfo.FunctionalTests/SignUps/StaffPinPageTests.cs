using System.Net;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.FunctionalTests.SignUps;

/// <summary>The store's PIN hash on the kiosk pages, and the owner console that sets it.</summary>
public partial class StaffPinPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid demo;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demo = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string?> PinOnPageAsync(string path = "/")
    {
        var html = await AppFactory.ReadAsync(await app.ClientFor("demo.localhost").GetAsync(path), HttpStatusCode.OK);
        return PinPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [Fact]
    public async Task A_store_without_a_pin_sends_no_hash_and_the_expiry_setting()
    {
        var html = await AppFactory.ReadAsync(await app.ClientFor("demo.localhost").GetAsync("/"), HttpStatusCode.OK);

        (await PinOnPageAsync()).ShouldBeNull();
        html.ShouldContain("data-expiry-days=\"7\"");
    }

    [Fact]
    public async Task The_form_and_the_thank_you_page_carry_the_pin_hash_and_a_new_pin_shows_at_once_despite_the_kept_form()
    {
        await app.SendAsync(new SetStaffPinCommand(demo, "4829"));
        var first = await PinOnPageAsync();
        (await PinOnPageAsync()).ShouldBe(first); // the second view comes from the kept empty form
        first.ShouldNotBeNull().ShouldMatch(@"^100000\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$");
        first.ShouldNotContain("4829");
        (await PinOnPageAsync("/thanks")).ShouldBe(first);

        await app.SendAsync(new SetStaffPinCommand(demo, "7351"));

        var second = await PinOnPageAsync();
        second.ShouldNotBeNull().ShouldNotBe(first);
    }

    [Fact]
    public async Task The_owner_sets_a_store_s_pin_in_the_console_and_a_bad_one_is_explained_beside_its_store()
    {
        var client = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(client);
        var console = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        console.ShouldContain("Not set");
        var token = Forms.AntiforgeryToken(console);

        var refused = await client.PostAsync("/owner?handler=pin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Input.TenantId", demo.ToString()), new("Input.Pin", "1111")]));
        var body = await AppFactory.ReadAsync(refused, HttpStatusCode.OK);
        body.ShouldContain("too easy to guess");
        body.ShouldContain("Demo Store");
        (await PinOnPageAsync()).ShouldBeNull();

        var garbage = await client.PostAsync("/owner?handler=pin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Input.TenantId", "not-a-store"), new("Input.Pin", "4829")]));
        await AppFactory.ReadAsync(garbage, HttpStatusCode.OK);

        var unknown = await client.PostAsync("/owner?handler=pin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Input.TenantId", Guid.NewGuid().ToString()), new("Input.Pin", "4829")]));
        (await AppFactory.ReadAsync(unknown, HttpStatusCode.OK)).ShouldContain("does not exist any more");

        var set = await client.PostAsync("/owner?handler=pin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Input.TenantId", demo.ToString()), new("Input.Pin", "4829")]));
        set.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        after.ShouldContain("The staff PIN of Demo Store is set.");
        after.ShouldNotContain("Not set");
        (await PinOnPageAsync()).ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_the_signed_in_owner_can_set_a_pin()
    {
        var response = await app.ClientFor("localhost").PostAsync("/owner?handler=pin", new FormUrlEncodedContent(
            [new("Input.TenantId", demo.ToString()), new("Input.Pin", "4829")]));

        ((int)response.StatusCode).ShouldBeOneOf(302, 400);
        (await PinOnPageAsync()).ShouldBeNull();
    }

    [GeneratedRegex("data-pin=\"([^\"]+)\"")]
    private static partial Regex PinPattern();
}
