using System.Net;
using System.Security.Claims;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerInfo.FunctionalTests.Owner;

public class HangfireDashboardTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_owner_sign_in()
    {
        var response = await app.ClientFor("localhost").GetAsync("/hangfire");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("http://localhost/owner/signin?ReturnUrl=%2Fhangfire");
    }

    [Fact]
    public async Task The_signed_in_owner_sees_the_dashboard()
    {
        var client = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(client);

        var body = await AppFactory.ReadAsync(await client.GetAsync("/hangfire"), HttpStatusCode.OK);
        body.ShouldContain("CustomerInfo jobs");
        (await client.GetAsync("/hangfire/jobs/enqueued")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_the_owner_is_forbidden()
    {
        var client = app.ClientFor("localhost");
        client.DefaultRequestHeaders.Add("Cookie", ".CustomerInfo.Owner=" + await CookieForAsync(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "staff@acme.test"), new Claim(ClaimTypes.Role, "retailer-staff")], OwnerAuthentication.Scheme))));

        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_dashboard_does_not_exist_on_a_store_host_even_for_the_owner()
    {
        var client = app.ClientFor("demo.localhost");
        client.DefaultRequestHeaders.Add("Cookie", ".CustomerInfo.Owner=" + await CookieForAsync(OwnerAuthentication.OwnerPrincipal(AppFactory.OwnerEmail)));

        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_dashboard_filter_itself_admits_only_the_owner_role()
    {
        var filter = new OwnerDashboardAuthorizationFilter();
        var owner = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = OwnerAuthentication.OwnerPrincipal("o@x.test"), RequestServices = app.Services };
        var stranger = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
        var storage = app.Services.GetRequiredService<Hangfire.JobStorage>();

        filter.Authorize(new Hangfire.Dashboard.AspNetCoreDashboardContext(storage, new Hangfire.DashboardOptions(), owner)).ShouldBeTrue();
        filter.Authorize(new Hangfire.Dashboard.AspNetCoreDashboardContext(storage, new Hangfire.DashboardOptions(), stranger)).ShouldBeFalse();
        await Task.CompletedTask;
    }

    /// <summary>A real session cookie, issued with the app's own Data Protection keys.</summary>
    [Fact]
    public async Task A_cookie_forged_with_the_key_ring_but_without_a_session_on_the_server_grants_nothing()
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(OwnerAuthentication.Scheme);
        var forged = options.TicketDataFormat.Protect(new AuthenticationTicket(OwnerAuthentication.OwnerPrincipal(AppFactory.OwnerEmail), OwnerAuthentication.Scheme));
        var client = app.ClientFor("localhost");
        client.DefaultRequestHeaders.Add("Cookie", ".CustomerInfo.Owner=" + forged);

        (await client.GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync("/owner")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>A cookie as the handler makes it: the session goes into the server's store, the cookie holds its key.</summary>
    private async Task<string> CookieForAsync(ClaimsPrincipal principal)
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(OwnerAuthentication.Scheme);
        var key = await options.SessionStore!.StoreAsync(new AuthenticationTicket(principal, OwnerAuthentication.Scheme));
        var keyOnly = new ClaimsPrincipal(new ClaimsIdentity([new Claim("Microsoft.AspNetCore.Authentication.Cookies-SessionId", key)], OwnerAuthentication.Scheme));
        return options.TicketDataFormat.Protect(new AuthenticationTicket(keyOnly, OwnerAuthentication.Scheme));
    }
}
