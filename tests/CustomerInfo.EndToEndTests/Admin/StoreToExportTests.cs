using CsvHelper;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 10's "done when", as a new retailer would try it: a Manager adds two stores and opens one
/// store's kiosk link on a tablet; a shopper signs up there; the Manager finds the sign-up under that
/// store in the list, its detail, the dashboard and the export; revoking the link stops the tablet.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class StoreToExportTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "manager@acme.test";
    private const string ShopperEmail = "ann.station@example.com";

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition));
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    [Fact]
    public async Task A_sign_up_at_a_store_s_kiosk_link_is_that_store_s_in_the_list_the_detail_the_dashboard_and_the_export()
    {
        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, Screen.Desktop);

        // Two stores; the second one's kiosk link.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Stores" }).ClickAsync();
        await admin.GetByLabel("Name").FillAsync("Acme Centre");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add store" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "← All stores" }).ClickAsync();
        await admin.GetByLabel("Name").FillAsync("Acme Station");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add store" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Acme Station", Level = 1 })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Issue link" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Img, new() { Name = "QR code for Tablet 1" })).ToBeVisibleAsync();
        var kioskLink = await admin.GetByLabel("Address of Tablet 1").InputValueAsync();
        var storePage = admin.Url;

        // The tablet scans it, and a shopper signs up.
        var tablet = await NewPageAsync(Screen.Tablet);
        await GoAsync(tablet, new Uri(kioskLink));
        await tablet.Locator("#first-name").FillAsync("Ann");
        await tablet.Locator("#last-name").FillAsync("Stationsma");
        await tablet.Locator("#email").FillAsync(ShopperEmail);
        await tablet.Locator("#email-consent").CheckAsync();
        await tablet.Locator("#signup .submit").ClickAsync();
        await Expect(tablet.Locator(".thanks")).ToBeVisibleAsync();
        var nextShopper = new Uri(new Uri(tablet.Url), await tablet.Locator(".thanks").GetAttributeAsync("data-home"));

        // The list finds it by email, under its store; the detail names the store and the link.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-ups" }).ClickAsync();
        await admin.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("ANN.Station@example.com");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(admin.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.Locator("tbody tr")).ToContainTextAsync("Acme Station");
        await Screenshots.SaveAsync(admin, "done-when-signups-found");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ann Stationsma" }).ClickAsync();
        await Expect(admin.Locator("main")).ToContainTextAsync("Acme Station");
        await Expect(admin.Locator("main")).ToContainTextAsync("Tablet 1");

        // The dashboard counts it today, for that store.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(admin.Locator("[data-stat=today]")).ToHaveTextAsync("1");
        await Expect(admin.Locator("table.per-store")).ToContainTextAsync("Acme Station");
        await Screenshots.SaveAsync(admin, "done-when-dashboard");

        // The export has it, with its store, and reads back as CSV.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-ups" }).ClickAsync();
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var rows = new List<string[]>();
        await using (var reader = CsvReader.Create(await download.CreateReadStreamAsync(), CsvReaderOptions.Default with { HasHeader = false }, leaveOpen: false))
        {
            while (await reader.ReadAsync())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }
        }

        rows.Count.ShouldBe(2, "the header and the one sign-up");
        rows[0].ShouldContain("Store");
        rows[1][Array.IndexOf(rows[0], "Email")].ShouldBe(ShopperEmail);
        rows[1][Array.IndexOf(rows[0], "Store")].ShouldBe("Acme Station");

        // Revoking the link stops that tablet.
        await GoAsync(admin, new Uri(storePage));
        await admin.GetByRole(AriaRole.Link, new() { Name = "Revoke Tablet 1" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Revoke the link" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Tablet 1 is revoked.");
        // The tablet turns to the next shopper: by itself after the thanks page's seconds (long gone on a
        // busy machine, while the Manager worked), or when tapped; either way it opens the form's home.
        // The revoke reaches the pod's cache by a notification, a moment after the Manager's answer.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await tablet.GotoAsync(nextShopper.ToString()))!.Status != 410 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Expect(tablet.GetByRole(AriaRole.Heading, new() { Name = "This kiosk link was revoked" })).ToBeVisibleAsync();
        await Expect(tablet.Locator("#signup")).ToHaveCountAsync(0);
    }
}
