using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.SignUps;

/// <summary>A tablet opened with its store's kiosk link, in a real browser with the service worker.</summary>
public partial class SignUpKioskTests
{
    [Fact]
    public async Task A_tablet_opened_with_a_kiosk_link_credits_its_store_and_once_revoked_holds_what_it_takes_and_says_so()
    {
        var station = await App.AddKioskLinkAsync(demo, "Demo Store Station");
        var page = await NewPageAsync(Screen.Tablet);
        await GoAsync(page, App.StoreUrl("demo", $"/k/{station.Token}"));
        await Expect(page).ToHaveURLAsync(App.StoreUrl("demo", "/?lang=en").ToString());
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);

        await SignUpAsync(page, "Ann");
        await Expect(page.Locator(".thanks")).ToBeVisibleAsync();
        (await StoredAsync()).ShouldHaveSingleItem().StoreId.ShouldBe(station.StoreId);
        await page.Locator(".thanks a.button").ClickAsync();
        await Expect(page.Locator("#first-name")).ToHaveValueAsync("");

        await App.RevokeAsync(demo, station);
        await SignUpAsync(page, "Bob");

        // The shopper is thanked; the sign-up stays on the tablet, held for staff, and the tablet says why.
        await Expect(page.Locator(".thanks")).ToBeVisibleAsync();
        await page.Locator(".thanks a.button").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This kiosk link was revoked" })).ToBeVisibleAsync();
        await Expect(page.Locator("#signup")).ToHaveCountAsync(0);
        await SendQueueAsync(page);
        await Expect(page.Locator("#queue.has-held")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "kiosk-link-revoked-tablet");
        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();
        await page.GetByLabel("Staff PIN").FillAsync(StaffPin);
        await page.GetByLabel("Staff PIN").PressAsync("Enter");
        await Expect(Panel(page)).ToContainTextAsync("kiosk link was revoked");
        (await StoredAsync()).Count.ShouldBe(1);
    }

    private static async Task SignUpAsync(IPage page, string firstName)
    {
        await page.Locator("#first-name").FillAsync(firstName);
        await page.Locator("#last-name").FillAsync("de Vries");
        await page.Locator("#email").FillAsync($"{firstName.ToLowerInvariant()}@example.com");
        await page.Locator("#signup .submit").ClickAsync();
    }
}
