using System.Net;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Owner;

public class OwnerConsoleTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> OwnerAsync()
    {
        var client = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(client);
        return client;
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client, string name, string subdomain, bool noTrial = false)
    {
        var fields = new Dictionary<string, string> { ["Create.Name"] = name, ["Create.Subdomain"] = subdomain };
        if (noTrial)
        {
            fields["Create.NoTrial"] = "true";
        }

        return PostAsync(client, "create", fields);
    }

    /// <summary>Posts one of the console's forms as a browser does: the page first, then the form with its token.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields)
    {
        var page = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(page);
        return await client.PostAsync($"/owner?handler={handler}", new FormUrlEncodedContent(fields));
    }

    private async Task<Tenant> TenantAsync(string identifier) =>
        (await app.Services.GetRequiredService<ITenantStore>().FindByIdentifierAsync(identifier, default)).ShouldNotBeNull();

    [Fact]
    public async Task The_owner_creates_a_store_that_is_confirmed_and_open_and_sees_it_listed()
    {
        var client = await OwnerAsync();

        var response = await CreateAsync(client, "Acme Outdoor", "acme");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var console = await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK);
        console.ShouldContain("Acme Outdoor is on the platform at acme.localhost, on a trial.");
        console.ShouldContain("http://acme.localhost/");
        console.ShouldContain(">Trial<");
        console.ShouldContain("Confirmed ");
        console.ShouldContain("Invite the first Owner of Acme Outdoor");
        var tenant = await TenantAsync("acme");
        tenant.EmailConfirmedAt.ShouldNotBeNull();
        tenant.TrialEndsAt.ShouldNotBeNull();
        (await app.ClientFor("acme.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_store_created_without_a_trial_is_active()
    {
        var client = await OwnerAsync();

        (await CreateAsync(client, "Old Friend", "friend", noTrial: true)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await TenantAsync("friend")).Status.ShouldBe(TenantStatus.Active);
        (await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK)).ShouldContain("No trial");
    }

    [Fact]
    public async Task A_taken_subdomain_is_refused_beside_the_field_with_what_was_typed()
    {
        await app.AddStoreAsync("acme", "Acme");
        var client = await OwnerAsync();

        var body = await AppFactory.ReadAsync(await CreateAsync(client, "Other Acme", "ACME"), HttpStatusCode.OK);

        body.ShouldContain("That subdomain is taken. Choose another.");
        body.ShouldContain("value=\"Other Acme\"");
        (await TenantAsync("acme")).Name.ShouldBe("Acme");
    }

    [Theory]
    [InlineData("", "shop", "Enter the name of your business.")]
    [InlineData("Shop", "", "Choose a subdomain.")]
    [InlineData("Shop", "www", "That subdomain is reserved.")]
    [InlineData("Shop", "a b", "letters a–z")]
    public async Task Bad_input_gets_a_clear_message_and_no_store(string name, string subdomain, string message)
    {
        var client = await OwnerAsync();

        var body = await AppFactory.ReadAsync(await CreateAsync(client, name, subdomain), HttpStatusCode.OK);

        body.ShouldContain(System.Net.WebUtility.HtmlEncode(message));
        body.ShouldContain("No store has signed up yet.");
    }

    [Fact]
    public async Task Suspending_closes_the_kiosk_and_reactivating_opens_it_again()
    {
        var id = await app.AddStoreAsync("acme", "Acme");
        var client = await OwnerAsync();

        var suspend = await PostAsync(client, "suspend", new Dictionary<string, string> { ["tenantId"] = id.ToString() });

        suspend.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK)).ShouldContain("Acme is suspended: its kiosk shows the unavailable page.");
        (await app.ClientFor("acme.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var again = await PostAsync(client, "suspend", new Dictionary<string, string> { ["tenantId"] = id.ToString() });
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK)).ShouldContain("Acme: This store is suspended already.");

        var reactivate = await PostAsync(client, "reactivate", new Dictionary<string, string> { ["tenantId"] = id.ToString() });
        reactivate.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK)).ShouldContain("Acme is reactivated.");
        (await app.ClientFor("acme.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("reactivate", "00000000-0000-0000-0000-000000000001", "This store does not exist.")]
    [InlineData("suspend", "not-a-guid", "must not be empty")]
    public async Task Suspending_or_reactivating_a_store_that_is_not_there_says_so(string handler, string tenantId, string message)
    {
        var client = await OwnerAsync();

        var response = await PostAsync(client, handler, new Dictionary<string, string> { ["tenantId"] = tenantId });

        var body = response.StatusCode == HttpStatusCode.Redirect
            ? await AppFactory.ReadAsync(await client.GetAsync("/owner"), HttpStatusCode.OK)
            : await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        body.ShouldContain(message);
    }
}
