using System.Net;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.GetStore;
using CustomerInfo.Application.Stores.IssueKioskLink;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Stores;

namespace CustomerInfo.FunctionalTests.Stores;

public partial class StoresPageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";
    private HttpClient manager = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await app.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        manager = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(manager, Manager);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> PostAsync(string page, string handler, Dictionary<string, string> fields)
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        fields["__RequestVerificationToken"] = Forms.AntiforgeryToken(html);
        return await manager.PostAsync($"{page}{(page.Contains('?', StringComparison.Ordinal) ? '&' : '?')}handler={handler}", new FormUrlEncodedContent(fields));
    }

    private Task<HttpResponseMessage> AddAsync(string? name, string? zone = "Europe/Amsterdam", string? address = null) =>
        PostAsync("/admin/stores", "Add", new() { ["Add.Name"] = name ?? "", ["Add.TimeZone"] = zone ?? "", ["Add.Address"] = address ?? "" });

    [Fact]
    public async Task Staff_may_not_open_the_stores_pages_and_a_manager_may()
    {
        var staff = app.ClientFor("acme.localhost");
        await Members.SignedInAsync(staff, "staff@acme.test");
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));

        (await staff.GetAsync("/admin/stores")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await staff.GetAsync($"/admin/stores/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.GetAsync("/admin/stores")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await manager.GetAsync($"/admin/stores/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_stores_the_page_explains_what_a_store_and_a_kiosk_link_are()
    {
        var html = await AppFactory.ReadAsync(await manager.GetAsync("/admin/stores"), HttpStatusCode.OK);

        html.ShouldContain("No stores yet");
        html.ShouldContain("A kiosk link is the web address a tablet in that store opens");
        html.ShouldContain("<option value=\"Europe/Amsterdam\" selected=\"selected\">");
        html.ShouldContain("<option value=\"America/New_York\">");
        html.ShouldContain("aria-current=\"page\">Stores</a>");

        var dutch = await AppFactory.ReadAsync(await manager.GetAsync("/admin/stores?lang=nl"), HttpStatusCode.OK);
        dutch.ShouldContain("Nog geen winkels");
    }

    [Fact]
    public async Task A_manager_adds_a_store_and_lands_on_it_then_sees_it_listed()
    {
        var added = await AddAsync("Centre", "Europe/Brussels", "Markt 1");

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var store = (await app.SendAsync("acme", new ListStoresQuery())).ShouldHaveSingleItem();
        added.Headers.Location!.OriginalString.ShouldBe($"/admin/stores/{store.Id}");
        var detail = await AppFactory.ReadAsync(await manager.GetAsync(added.Headers.Location), HttpStatusCode.OK);
        detail.ShouldContain("Centre is added.");
        detail.ShouldContain("aria-current=\"page\">Stores</a>");
        var list = await AppFactory.ReadAsync(await manager.GetAsync("/admin/stores"), HttpStatusCode.OK);
        list.ShouldContain($"<a href=\"/admin/stores/{store.Id}\">Centre</a>");
        list.ShouldContain("Markt 1");
        list.ShouldContain("Europe/Brussels");
    }

    [Theory]
    [InlineData("", "Europe/Amsterdam", "Give the store a name of 1 to 80 characters.")]
    [InlineData("Centre", "Mars/Olympus", "Choose a time zone from the list, such as Europe/Amsterdam.")]
    [InlineData("Centre", "", "Choose a time zone from the list, such as Europe/Amsterdam.")]
    public async Task Bad_store_details_are_answered_with_a_clear_message(string name, string zone, string message)
    {
        var response = await AddAsync(name, zone);

        var html = await AppFactory.ReadAsync(response, HttpStatusCode.OK);
        html.ShouldContain(message);
        (await app.SendAsync("acme", new ListStoresQuery())).ShouldBeEmpty();
    }

    [Fact]
    public async Task Too_long_and_duplicate_names_are_refused_in_the_page_language()
    {
        (await AppFactory.ReadAsync(await AddAsync(new string('x', 81)), HttpStatusCode.OK)).ShouldContain("Give the store a name of 1 to 80 characters.");
        (await AppFactory.ReadAsync(await AddAsync("Centre", address: new string('a', 201)), HttpStatusCode.OK)).ShouldContain("An address is at most 200 characters.");
        (await AddAsync("Centre")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await AppFactory.ReadAsync(await AddAsync("centre"), HttpStatusCode.OK)).ShouldContain("Another store already has this name.");
        var again = await PostAsync("/admin/stores?lang=nl", "Add", new() { ["Add.Name"] = "CENTRE", ["Add.TimeZone"] = "Europe/Amsterdam" });
        (await AppFactory.ReadAsync(again, HttpStatusCode.OK)).ShouldContain("Een andere winkel heeft deze naam al.");
    }

    [Fact]
    public async Task Another_tenants_store_and_a_made_up_id_are_not_found()
    {
        var theirs = await app.SendAsync("bravo", new AddStoreCommand("Theirs", "Europe/Amsterdam"));

        (await manager.GetAsync($"/admin/stores/{theirs}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await manager.GetAsync($"/admin/stores/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await manager.GetAsync("/admin/stores/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_link_is_issued_shown_with_the_qr_code_of_exactly_its_address_and_revoked_after_confirmation()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var page = $"/admin/stores/{id}";

        (await PostAsync(page, "Issue", new() { ["Label"] = "" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var link = (await app.SendAsync("acme", new GetStoreQuery(id)))!.LiveLinks.ShouldHaveSingleItem();
        link.Url.AbsoluteUri.ShouldMatch("^http://acme\\.localhost/k/[A-Za-z0-9_-]{22}$");
        var html = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        html.ShouldContain("A new kiosk link is ready.");
        html.ShouldContain($"value=\"{link.Url.AbsoluteUri}\"");
        html.ShouldContain(KioskLinkQrCode.Svg(link.Url, "QR code for Tablet 1"));
        html.ShouldContain("<svg role=\"img\" aria-label=\"QR code for Tablet 1\"");
        SvgCount().Count(html).ShouldBe(1);

        var confirm = await AppFactory.ReadAsync(await manager.GetAsync($"{page}?revoke={link.LinkId}"), HttpStatusCode.OK);
        confirm.ShouldContain("Revoke Tablet 1?");
        confirm.ShouldContain("the tablet using it stops within seconds", Case.Insensitive);
        confirm.ShouldContain("sign-ups already on it are kept on the tablet");
        (await PostAsync(page, "Revoke", new() { ["linkId"] = link.LinkId.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var after = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        after.ShouldContain("Tablet 1 is revoked.");
        after.ShouldContain("Revoked links");
        after.ShouldNotContain("<svg role=\"img\"");
        after.ShouldNotContain(link.Url.AbsoluteUri);
    }

    [Fact]
    public async Task Revoking_a_made_up_link_or_a_too_long_label_is_a_clear_answer_not_an_error()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var page = $"/admin/stores/{id}";

        var revoked = await PostAsync(page, "Revoke", new() { ["linkId"] = Guid.NewGuid().ToString() });
        (await AppFactory.ReadAsync(revoked, HttpStatusCode.NotFound)).ShouldContain("That kiosk link is not one of this store&#x27;s.");
        (await PostAsync(page, "Revoke", new() { ["linkId"] = "garbage" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var label = await PostAsync(page, "Issue", new() { ["Label"] = new string('l', 61) });
        (await AppFactory.ReadAsync(label, HttpStatusCode.OK)).ShouldContain("A link&#x27;s label is at most 60 characters.");
        (await app.SendAsync("acme", new GetStoreQuery(id)))!.LiveLinks.ShouldBeEmpty();
    }

    [Fact]
    public async Task Closing_asks_first_says_what_happens_and_a_closed_store_gets_no_links_until_reopened()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var page = $"/admin/stores/{id}";

        var confirm = await AppFactory.ReadAsync(await manager.GetAsync($"{page}?confirm=close"), HttpStatusCode.OK);
        confirm.ShouldContain("Close Centre?");
        confirm.ShouldContain("Its tablets stop taking sign-ups; they keep the ones they hold queued.");
        (await PostAsync(page, "Close", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.SendAsync("acme", new ListStoresQuery())).Single().IsActive.ShouldBeFalse();

        var closed = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        closed.ShouldContain("Centre is closed.");
        closed.ShouldNotContain("handler=Issue");
        var refused = await PostAsync(page, "Issue", new() { ["Label"] = "x" });
        (await AppFactory.ReadAsync(refused, HttpStatusCode.Conflict)).ShouldContain("This store is closed, so it gets no new kiosk links.");

        (await AppFactory.ReadAsync(await manager.GetAsync($"{page}?confirm=reopen"), HttpStatusCode.OK)).ShouldContain("Reopen Centre?");
        (await PostAsync(page, "Reopen", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.SendAsync("acme", new ListStoresQuery())).Single().IsActive.ShouldBeTrue();
    }

    [Fact]
    public async Task Details_are_changed_and_bad_ones_are_shown_back_with_their_message()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        await app.SendAsync("acme", new AddStoreCommand("Station", "Europe/Amsterdam"));
        var page = $"/admin/stores/{id}";

        (await PostAsync(page, "Details", new() { ["Details.Name"] = "Centrum", ["Details.TimeZone"] = "Europe/Paris", ["Details.Address"] = "Rue 1" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var store = (await app.SendAsync("acme", new GetStoreQuery(id)))!.Store;
        (store.Name, store.TimeZone, store.Address).ShouldBe(("Centrum", "Europe/Paris", "Rue 1"));

        var taken = await PostAsync(page, "Details", new() { ["Details.Name"] = "station", ["Details.TimeZone"] = "Europe/Paris" });
        var html = await AppFactory.ReadAsync(taken, HttpStatusCode.OK);
        html.ShouldContain("Another store already has this name.");
        html.ShouldContain("value=\"station\"");
    }

    [Fact]
    public async Task A_store_pin_is_set_and_a_weak_one_is_refused_with_the_reason()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var page = $"/admin/stores/{id}";

        var weak = await PostAsync(page, "Pin", new() { ["Pin"] = "1234" });
        (await AppFactory.ReadAsync(weak, HttpStatusCode.OK)).ShouldContain("This PIN is too easy to guess");
        (await PostAsync(page, "Pin", new() { ["Pin"] = "48a" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await PostAsync(page, "Pin", new() { ["Pin"] = "7391" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var html = await AppFactory.ReadAsync(await manager.GetAsync(page), HttpStatusCode.OK);
        html.ShouldContain("The store&#x27;s staff PIN is set.");
        html.ShouldContain("This store has its own PIN");
        html.ShouldNotContain("7391");
    }

    [Fact]
    public async Task Another_tenants_store_cannot_be_changed_through_the_page()
    {
        var theirs = await app.SendAsync("bravo", new AddStoreCommand("Theirs", "Europe/Amsterdam"));
        var link = (await app.SendAsync("bravo", new IssueKioskLinkCommand(theirs))).LinkId!.Value;
        var mine = await app.SendAsync("acme", new AddStoreCommand("Mine", "Europe/Amsterdam"));
        var html = await AppFactory.ReadAsync(await manager.GetAsync($"/admin/stores/{mine}"), HttpStatusCode.OK);
        var token = Forms.AntiforgeryToken(html);

        var response = await manager.PostAsync($"/admin/stores/{theirs}?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["linkId"] = link.ToString(),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.SendAsync("bravo", new GetStoreQuery(theirs)))!.LiveLinks.ShouldHaveSingleItem();
    }

    [GeneratedRegex("<svg ")]
    private static partial Regex SvgCount();
}
