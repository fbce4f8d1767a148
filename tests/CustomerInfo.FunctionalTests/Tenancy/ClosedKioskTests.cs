using System.Net;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Tenancy;

public class ClosedKioskTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddUnconfirmedStoreAsync("fresh", "Fresh Shop");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_unconfirmed_store_s_kiosk_is_unavailable()
    {
        var body = await AppFactory.ReadAsync(await app.ClientFor("fresh.localhost").GetAsync("/"), HttpStatusCode.Forbidden);

        body.ShouldNotContain("Join Fresh Shop");
    }

    [Theory]
    [InlineData("/admin/no-such-page")]
    [InlineData("/ADMIN/settings")]
    public async Task An_unconfirmed_store_s_admin_gets_its_tenant_and_reaches_routing(string path)
    {
        // Pages that do not exist: a 404 from routing (the status page), not the 403 unavailable page.
        var response = await app.ClientFor("fresh.localhost").GetAsync(path);

        var body = await AppFactory.ReadAsync(response, HttpStatusCode.NotFound);
        body.ShouldNotContain("There is no store at this address");
    }

    [Fact]
    public async Task An_unconfirmed_store_s_admin_sign_in_is_served()
    {
        (await app.ClientFor("fresh.localhost").GetAsync("/admin")).Headers.Location!.ToString().ShouldContain("/admin/signin");
        (await AppFactory.ReadAsync(await app.ClientFor("fresh.localhost").GetAsync("/admin/signin"), HttpStatusCode.OK)).ShouldContain("Sign in");
    }

    [Fact]
    public async Task A_path_that_only_starts_like_admin_is_the_kiosk_and_stays_closed() =>
        (await app.ClientFor("fresh.localhost").GetAsync("/administrator")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
}
