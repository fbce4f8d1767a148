using System.Net;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Tenancy;

public class HostRoutingTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
        await app.AddStoreAsync("closed", "Closed Shop", TenantStatus.Suspended);
        await app.AddStoreAsync("gone", "Gone Shop", TenantStatus.Canceled);
        await app.AddStoreAsync("late", "Late Payer", TenantStatus.PastDue);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8080")]
    [InlineData("www.localhost")]
    public async Task The_apex_shows_the_platform_landing_page(string host)
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor(host).GetAsync("/"), HttpStatusCode.OK);
        body.ShouldContain("Every shopper who signs up at your till");
        body.ShouldNotContain("Demo Store");
    }

    [Theory]
    [InlineData("demo.localhost")]
    [InlineData("DEMO.localhost:8080")]
    public async Task A_store_host_shows_that_store(string host)
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor(host).GetAsync("/"), HttpStatusCode.OK);
        body.ShouldContain("Join Demo Store and be the first to hear about offers and news.");
        body.ShouldNotContain("Every shopper who signs up at your till");
    }

    [Fact]
    public async Task A_past_due_store_still_serves_its_form() =>
        (await AppFactory.ReadAsync(await app.ClientFor("late.localhost").GetAsync("/"), HttpStatusCode.OK)).ShouldContain("Late Payer");

    [Theory]
    [InlineData("nowhere.localhost")]
    [InlineData("a.b.localhost")]
    [InlineData("xn--caf-dma.localhost")]
    [InlineData("hangfire.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("example.com")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd.localhost")]
    public async Task A_host_without_a_store_gets_the_friendly_not_found_page(string host)
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor(host).GetAsync("/"), HttpStatusCode.NotFound);
        body.ShouldContain("There is no store at this address");
    }

    [Fact]
    public async Task A_post_to_an_unknown_store_is_not_found_and_not_processed()
    {
        var response = await app.ClientFor("nowhere.localhost").PostAsync("/", new FormUrlEncodedContent([new("Email", "a@b.c")]));
        (await AppFactory.ReadAsync(response, HttpStatusCode.NotFound)).ShouldContain("There is no store at this address");
    }

    [Theory]
    [InlineData("closed.localhost")]
    [InlineData("gone.localhost")]
    public async Task A_suspended_or_canceled_store_shows_the_unavailable_page(string host)
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor(host).GetAsync("/"), HttpStatusCode.Forbidden);
        body.ShouldContain("Sign-up is unavailable here");
        body.ShouldNotContain("Closed Shop");
    }

    [Theory]
    [InlineData("/owner")]
    [InlineData("/owner/signin")]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/enqueued")]
    public async Task Platform_pages_do_not_exist_on_a_store_host(string path)
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor("demo.localhost").GetAsync(path), HttpStatusCode.NotFound);
        body.ShouldContain("Page not found");
    }

    [Fact]
    public async Task An_unknown_path_gets_the_friendly_not_found_page_in_the_store_layout()
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor("demo.localhost").GetAsync("/no-such-page"), HttpStatusCode.NotFound);
        body.ShouldContain("Page not found");
        body.ShouldContain("Demo Store");
    }

    [Fact]
    public async Task A_status_page_named_directly_answers_with_its_own_code() =>
        (await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync("/status/429"), HttpStatusCode.TooManyRequests)).ShouldContain("Too many tries");

    [Fact]
    public async Task A_renamed_store_cookie_is_not_sent_to_another_store()
    {
        var client = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(client);
        var response = await client.GetAsync(new Uri("http://demo.localhost/owner"));
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
