using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Owner;

[Collection(SharedBrowser.Collection)]
public class OwnerConsoleTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    protected override Task ArrangeAsync() => App.AddStoreAsync("demo", "Demo Store");

    [Fact]
    public async Task The_owner_signs_in_through_the_form_and_reaches_the_console_the_jobs_dashboard_and_a_store()
    {
        var page = await OpenAsync(App.PlatformUrl("/owner"));
        await Expect(page).ToHaveURLAsync(App.PlatformUrl("/owner/signin?ReturnUrl=%2Fowner").ToString());
        await ScreenshotAsync(page, "owner-signin-desktop");

        await page.GetByLabel("Email").FillAsync(AppFactory.OwnerEmail);
        await page.GetByLabel("Password").FillAsync(AppFactory.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(App.PlatformUrl("/owner").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stores" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Demo Store", Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "owner-console-desktop");
        await page.SetViewportSizeAsync(768, 1024);
        await ScreenshotAsync(page, "owner-console-tablet");
        await page.SetViewportSizeAsync(Screen.Phone.Width, Screen.Phone.Height);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Phone.Width);
        await ScreenshotAsync(page, "owner-console-phone");
        await page.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);

        await page.GetByRole(AriaRole.Link, new() { Name = "Background jobs" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(App.PlatformUrl("/hangfire").ToString());
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("CustomerInfo jobs"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Realtime Graph" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "hangfire-desktop");

        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "demo.localhost" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(App.StoreUrl("demo").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Demo Store");
    }

    [Fact]
    public async Task The_owner_sets_a_store_s_staff_pin_and_an_easy_one_is_refused_beside_the_store()
    {
        var page = await OpenAsync(App.PlatformUrl("/owner/signin"));
        await page.GetByLabel("Email").FillAsync(AppFactory.OwnerEmail);
        await page.GetByLabel("Password").FillAsync(AppFactory.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText("Not set")).ToBeVisibleAsync();

        var pin = page.GetByLabel("New staff PIN for Demo Store");
        await pin.FillAsync("1234");
        await pin.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("too easy to guess");
        await Expect(page.GetByLabel("New staff PIN for Demo Store")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(page, "owner-console-pin-error-desktop");

        await page.GetByLabel("New staff PIN for Demo Store").FillAsync("4829");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set PIN" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The staff PIN of Demo Store is set.");
        await Expect(page.GetByText("Not set")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "owner-console-pin-set-desktop");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_email_stays_filled_in()
    {
        var page = await OpenAsync(App.PlatformUrl("/owner/signin"));
        await page.GetByLabel("Email").FillAsync(AppFactory.OwnerEmail);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That email and password do not match.");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync(AppFactory.OwnerEmail);
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        await ScreenshotAsync(page, "owner-signin-error-desktop");
    }
}
