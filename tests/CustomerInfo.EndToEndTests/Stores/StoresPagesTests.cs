using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Stores;

/// <summary>A Manager sets up stores and their tablets' kiosk links in Chromium, at desktop and tablet size, in English and Dutch.</summary>
[Collection(SharedBrowser.Collection)]
public class StoresPagesTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    /// <summary>The admin on a tablet: an iPad Air in portrait.</summary>
    private static readonly Screen Tablet = new("tablet", 820, 1180, IsTouch: true);

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
    }

    private async Task<IPage> SignedInAsync(Screen screen)
    {
        var page = await OpenAsync(App.StoreUrl("acme", "/admin/signin"), screen);
        await page.GetByLabel("Email").FillAsync("manager@acme.test");
        await page.GetByLabel("Password").FillAsync(Members.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stores" })).ToBeVisibleAsync();
        return page;
    }

    private static async Task AtDesktopAndTabletAsync(IPage page, string name)
    {
        foreach (var screen in new[] { Screen.Desktop, Tablet })
        {
            await page.SetViewportSizeAsync(screen.Width, screen.Height);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width, $"{name} at {screen.Name}");
            await Screenshots.SaveAsync(page, $"{name}-{screen.Name}");
        }

        await page.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);
    }

    [Fact]
    public async Task A_manager_adds_two_stores_issues_a_link_sees_its_qr_code_and_revokes_it()
    {
        var page = await SignedInAsync(Screen.Desktop);
        await page.GetByRole(AriaRole.Link, new() { Name = "Stores" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No stores yet" })).ToBeVisibleAsync();
        await AtDesktopAndTabletAsync(page, "stores-empty");

        await page.GetByLabel("Name").FillAsync("Acme Centre");
        await page.GetByLabel("Address").FillAsync("Grote Markt 1, Groningen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add store" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Acme Centre is added.");

        await page.GetByRole(AriaRole.Link, new() { Name = "← All stores" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Acme Station");
        await page.GetByLabel("Time zone").SelectOptionAsync("Europe/Brussels");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add store" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Station", Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Issue link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A new kiosk link is ready.");
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR code for Tablet 1" });
        await Expect(qr).ToBeVisibleAsync();
        (await qr.BoundingBoxAsync()).ShouldNotBeNull().Width.ShouldBeGreaterThan(120);
        var url = await page.GetByLabel("Address of Tablet 1").InputValueAsync();
        url.ShouldStartWith(App.StoreUrl("acme", "/k/").ToString());
        await page.GetByLabel("Name of the tablet").FillAsync("Till tablet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for Till tablet" })).ToBeVisibleAsync();
        await AtDesktopAndTabletAsync(page, "store-detail");

        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke Tablet 1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revoke Tablet 1?" })).ToBeVisibleAsync();
        await Expect(page.GetByText("sign-ups already on it are kept on the tablet")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "store-revoke-confirm-desktop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Tablet 1 is revoked.");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for Tablet 1" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".revoked-links")).ToContainTextAsync("Tablet 1");
        await Screenshots.SaveAsync(page, "store-detail-revoked-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "Close the store…" }).ClickAsync();
        await Expect(page.GetByText("Its tablets stop taking sign-ups; they keep the ones they hold queued.")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "store-close-confirm-desktop");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "← All stores" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Acme Centre" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Acme Station" })).ToBeVisibleAsync();
        await AtDesktopAndTabletAsync(page, "stores-list");

        // Dutch: the list and a store.
        await GoAsync(page, App.StoreUrl("acme", "/admin/stores?lang=nl"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Winkels", Level = 1 })).ToBeVisibleAsync();
        await AtDesktopAndTabletAsync(page, "stores-list-nl");
        await page.GetByRole(AriaRole.Link, new() { Name = "Acme Station" }).ClickAsync();
        await GoAsync(page, new Uri(page.Url + "?lang=nl"));
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR-code voor Till tablet" })).ToBeVisibleAsync();
        await AtDesktopAndTabletAsync(page, "store-detail-nl");
    }

    [Fact]
    public async Task A_bad_store_is_refused_with_the_message_beside_its_field()
    {
        var page = await SignedInAsync(Tablet);
        await GoAsync(page, App.StoreUrl("acme", "/admin/stores"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add store" }).ClickAsync();

        var name = page.GetByLabel("Name");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByText("Give the store a name of 1 to 80 characters.")).ToBeVisibleAsync();
        await name.FocusAsync();
        (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")).ShouldNotBe("none");
        await Screenshots.SaveAsync(page, "stores-add-error-tablet");
    }
}
