using System.Net;
using CsvHelper;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Admin;

/// <summary>The sign-up list, detail and export over HTTP, as each role sees them, and their answers to bad input.</summary>
public class SignUpPagesTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Host = "acme.localhost";
    private static readonly Guid London = Guid.NewGuid();
    private readonly Dictionary<string, string> cookies = [];
    private Guid acme;
    private Guid annId;
    private Guid bravoSignUp;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        foreach (var role in TeamRoles.All)
        {
            await app.AddMemberAsync("acme", $"{role}@acme.test".ToLowerInvariant(), role);
            cookies[role.ToString()] = await Members.SignedInAsync(app.ClientFor(Host), $"{role}@acme.test".ToLowerInvariant());
        }

        annId = (await app.SendAsync("acme", SignUp("Ann", "Oosterhout", "ann.oosterhout@example.com", "06 12345678"))).SignUpId;
        await app.SendAsync("acme", SignUp("=HYPERLINK(1)", "Smit", "x@example.com", null));
        bravoSignUp = (await app.SendAsync("bravo", SignUp("Bea", "Bravo", "bea@example.com", null))).SignUpId;

        // A sign-up at a store in London, as a kiosk link attributes it.
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString());
        session.Events.StartStream(London, new StoreAdded(London, "London Bridge", "Europe/London", null, DateTimeOffset.UtcNow));
        var at = new DateTimeOffset(2026, 7, 1, 11, 30, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        session.Events.StartStream(id, new SignUpSubmitted(id, 1, "en", null, at, at, new Shopper("Liam", "Jones", "liam@example.com", null, null, null), [], null, null, London));
        await session.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static SubmitSignUpCommand SignUp(string first, string last, string email, string? phone) => new()
    {
        SubmissionId = Guid.NewGuid(),
        FirstName = first,
        LastName = last,
        Email = email,
        Phone = phone,
        EmailConsent = true,
        SmsConsent = phone is not null,
    };

    private Task<HttpResponseMessage> GetAsync(string role, string path) => Members.GetWithCookieAsync(app, Host, path, cookies[role]);

    [Fact]
    public async Task Staff_list_and_open_sign_ups_but_get_no_export()
    {
        var list = await AppFactory.ReadAsync(await GetAsync("Staff", "/admin/signups"), HttpStatusCode.OK);
        list.ShouldContain("Ann Oosterhout");
        list.ShouldContain("London Bridge");
        list.ShouldContain("1 Jul 2026 12:30", customMessage: "London's time, not UTC");
        list.ShouldNotContain("Export CSV");
        // Whole names: a three-letter name can turn up by chance in an antiforgery token or a nonce.
        list.ShouldNotContain("Bea Bravo");
        list.ShouldNotContain("bea@example.com");

        var detail = await AppFactory.ReadAsync(await GetAsync("Staff", $"/admin/signups/{annId}"), HttpStatusCode.OK);
        detail.ShouldContain("ann.oosterhout@example.com");
        detail.ShouldContain("31612345678");
        detail.ShouldContain("Signed up");

        (await GetAsync("Staff", "/admin/signups/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AppFactory.ReadAsync(await GetAsync("Manager", "/admin/signups"), HttpStatusCode.OK)).ShouldContain("Export CSV");
    }

    [Fact]
    public async Task Another_stores_sign_up_and_an_unknown_id_are_not_found()
    {
        (await GetAsync("Owner", $"/admin/signups/{bravoSignUp}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync("Owner", $"/admin/signups/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetAsync("Owner", "/admin/signups/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/admin/signups?after=tampered", "This page link is no longer valid; showing the newest sign-ups.")]
    [InlineData("/admin/signups?s=made-up", "This search link is no longer valid. Search again.")]
    [InlineData("/admin/signups?from=yesterday", "Enter dates as a day, month and year (for example 2026-03-31).")]
    [InlineData("/admin/signups?from=2026-03-02&to=2026-03-01", "The end date is before the start date.")]
    [InlineData("/admin/signups?from=1066-10-14", "Choose a date between the years 2000 and 2999.")]
    [InlineData("/admin/signups?store=the-big-one", "Choose a store from the list.")]
    [InlineData("/admin/signups?email=maybe", "Choose whether consent was given or not.")]
    [InlineData("/admin/signups/export?from=31-12-2026", "Enter dates as a day, month and year (for example 2026-03-31).")]
    [InlineData("/admin/signups/export?s=made-up", "This search link is no longer valid. Search again.")]
    public async Task Bad_links_and_filters_get_the_page_with_a_clear_message(string path, string message)
    {
        var page = await AppFactory.ReadAsync(await GetAsync("Manager", path), HttpStatusCode.OK);
        page.ShouldContain(System.Net.WebUtility.HtmlEncode(message));
    }

    [Fact]
    public async Task A_search_is_posted_and_shown_by_a_link_that_holds_no_address_and_pages_on()
    {
        var client = app.ClientFor(Host);
        await Members.SignedInAsync(client, "manager@acme.test");

        var posted = await Forms.PostAsync(client, "/admin/signups", new Dictionary<string, string> { ["q"] = "ANN.Oosterhout@example.com", ["email"] = "yes" });
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = posted.Headers.Location!.ToString();
        location.ShouldNotContain("oosterhout", Case.Insensitive);
        location.ShouldContain("email=yes");

        var found = await AppFactory.ReadAsync(await client.GetAsync(location), HttpStatusCode.OK);
        found.ShouldContain("Ann Oosterhout");
        found.ShouldNotContain("Liam Jones");
        found.ShouldContain("value=\"ANN.Oosterhout@example.com\"");

        var tooLong = await Forms.PostAsync(client, "/admin/signups", new Dictionary<string, string> { ["q"] = new string('a', 10_000) });
        (await AppFactory.ReadAsync(tooLong, HttpStatusCode.OK)).ShouldContain("Search for at most 200 characters.");
    }

    [Fact]
    public async Task A_manager_downloads_the_csv_streamed_with_a_bom_neutralised_cells_and_store_times_and_it_is_recorded()
    {
        using var response = await Members.GetWithCookieAsync(app, Host, "/admin/signups/export?email=yes", cookies["Manager"]);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldMatch(@"^signups-\d{4}-\d{2}-\d{2}\.csv$");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });

        var rows = new List<string[]>();
        await using (var reader = CsvReader.Create(new MemoryStream(bytes), CsvReaderOptions.Default with { HasHeader = false }, leaveOpen: false))
        {
            while (await reader.ReadAsync())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }
        }

        rows[0].ShouldBe(["First name", "Last name", "Email", "Phone", "Birthday", "Postal code", "Email consent", "SMS consent", "Store", "Received (store time)", "Time zone", "CRM push status", "CRM record id"]);
        rows.Count.ShouldBe(3, "the header and the two sign-ups with email consent");
        var ann = rows.Single(r => r[1] == "Oosterhout");
        ann[3].ShouldBe("'+31612345678");
        ann[6..8].ShouldBe(["yes", "yes"]);
        ann[10].ShouldBe("Europe/London", "without a store of its own, a sign-up is in the retailer's zone: its first active store's");
        rows.Single(r => r[1] == "Smit")[0].ShouldBe("'=HYPERLINK(1)");

        var all = await Members.GetWithCookieAsync(app, Host, "/admin/signups/export", cookies["Owner"]);
        var text = await all.Content.ReadAsStringAsync();
        text.ShouldContain("London Bridge,2026-07-01 12:30,Europe/London");

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString());
        var exports = await session.Events.QueryRawEventDataOnly<SignUpsExported>().ToListAsync();
        exports.Select(e => (e.Filter, e.Searched, e.Rows, e.Completed)).ShouldBe([("email consent yes", false, 2, true), ("all sign-ups", false, 3, true)], ignoreOrder: true);
    }
}
