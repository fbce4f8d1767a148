using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Tenancy;

/// <summary>Store addresses as a shopper's browser reaches them: <c>{store}.localhost</c> resolved by Chromium itself.</summary>
[Collection(SharedBrowser.Collection)]
public class StoreHostTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("demo", "Demo Store");
        await App.AddStoreAsync("closed", "Closed Shop", TenantStatus.Suspended);
    }

    [Fact]
    public async Task A_store_address_shows_that_store_by_name()
    {
        var page = await OpenAsync(App.StoreUrl("demo"));

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Demo Store");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Demo Store" })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Demo Store$"));
        await ScreenshotAsync(page, "store-desktop");
    }

    [Fact]
    public async Task The_store_page_fits_the_counter_tablet_and_a_phone()
    {
        foreach (var page in await ScreenshotsAsync(App.StoreUrl("demo"), "store", Screen.Tablet, Screen.Phone))
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Demo Store");
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(page.ViewportSize!.Width);
        }
    }

    [Fact]
    public async Task A_store_address_is_a_secure_context_so_an_offline_service_worker_can_run()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);

        (await page.EvaluateAsync<bool>("window.isSecureContext")).ShouldBeTrue();
        (await page.EvaluateAsync<bool>("'serviceWorker' in navigator && 'indexedDB' in window")).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_store_shows_the_friendly_not_found_page()
    {
        var page = await OpenAsync(App.StoreUrl("nowhere"), status: 404);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("There is no store at this address");
        await ScreenshotAsync(page, "store-not-found-desktop");
    }

    [Fact]
    public async Task A_suspended_store_shows_the_unavailable_page_without_its_name()
    {
        var page = await OpenAsync(App.StoreUrl("closed"), status: 403);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign-up is unavailable here");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Closed Shop");
        await ScreenshotAsync(page, "store-unavailable-desktop");
    }

    [Fact]
    public async Task The_status_pages_a_shopper_may_meet_speak_dutch_to_a_dutch_browser_or_when_asked()
    {
        var page = await NewPageAsync(Screen.Tablet, locale: "nl-NL");
        await GoAsync(page, App.StoreUrl("nowhere"), 404);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Op dit adres is geen winkel");
        await ScreenshotAsync(page, "status-store-not-found-dutch-tablet");

        await GoAsync(page, App.StoreUrl("closed", "/?lang=nl"), 403);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Aanmelden is hier niet mogelijk");
        await ScreenshotAsync(page, "status-store-unavailable-dutch-tablet");

        foreach (var (code, heading) in new[] { (429, "Te veel pogingen"), (413, "Te veel gegevens") })
        {
            await GoAsync(page, App.StoreUrl("demo", $"/status/{code}?lang=nl"), code);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Naar de startpagina" })).ToHaveAttributeAsync("href", "/?lang=nl");
            await ScreenshotAsync(page, $"status-{code}-dutch-tablet");
        }

        await GoAsync(page, App.StoreUrl("demo", "/status/429"), 429);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Too many tries");
        await ScreenshotAsync(page, "status-429-english-tablet");
    }
}
