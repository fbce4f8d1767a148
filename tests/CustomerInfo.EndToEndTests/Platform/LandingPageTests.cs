using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Platform;

[Collection(SharedBrowser.Collection)]
public class LandingPageTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    protected override Task ArrangeAsync() => App.AddStoreAsync("demo", "Demo Store");

    [Fact]
    public async Task The_apex_address_shows_the_platform_landing_page()
    {
        var page = await OpenAsync(App.PlatformUrl());

        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("CustomerInfo$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Every shopper who signs up at your till, in your CRM seconds later.");
        await Expect(page.GetByText($"yourshop.localhost")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Demo Store");
        await ScreenshotAsync(page, "landing-desktop");
    }

    [Fact]
    public async Task The_landing_page_fits_a_phone_without_scrolling_sideways()
    {
        var page = await OpenAsync(App.PlatformUrl(), Screen.Phone);

        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Phone.Width);
        await ScreenshotAsync(page, "landing-phone");
    }
}
