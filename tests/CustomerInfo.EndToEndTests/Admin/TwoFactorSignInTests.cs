using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 14 §4's done-when, in Chromium: an Owner turns on the team's rule, is sent to set up an
/// authenticator (the test computes the codes from the key the page shows, as the app would),
/// signs out and signs in again with password and code.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class TwoFactorSignInTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private static string Store(Screen screen) => "guard" + screen.Name.Replace("-", "", StringComparison.Ordinal);

    private static string Owner(Screen screen) => $"owner@{Store(screen)}.test";

    protected override async Task ArrangeAsync()
    {
        foreach (var screen in new[] { Screen.Desktop, Screen.Tablet })
        {
            await App.AddStoreAsync(Store(screen), "Guard Shoes");
            await App.AddMemberAsync(Store(screen), Owner(screen), TeamRole.Owner);
        }
    }

    [Fact]
    public async Task An_owner_requires_two_factor_sets_up_the_app_and_signs_in_with_password_and_code_on_desktop_and_tablet()
    {
        foreach (var screen in new[] { Screen.Desktop, Screen.Tablet })
        {
            var store = Store(screen);
            var admin = await SignInAsync(App.StoreUrl(store, "/admin/signin"), Owner(screen), screen);

            // The team's rule, on the Team page; this very session is sent to set up the app.
            await GoAsync(admin, App.StoreUrl(store, "/admin/team"));
            await Expect(admin.Locator("#rule-now")).ToHaveTextAsync("Off: two-factor sign-in is each member's own choice.");
            await ScreenshotAsync(admin, $"team-two-factor-rule-en-{screen.Name}");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Require it of Owners" }).ClickAsync();
            // Generous, as for sign-in: the class's first admin POST and the setup page (its QR code) start cold while other classes' browsers start.
            await admin.WaitForURLAsync(url => url.Contains("/admin/security?required=true", StringComparison.Ordinal), new() { Timeout = 90_000 });
            await Expect(admin.Locator("#required-notice")).ToContainTextAsync("Your team requires Owners to use two-factor sign-in.");
            await Expect(admin.GetByRole(AriaRole.Img, new() { Name = "QR code to add this account to an authenticator app" })).ToBeVisibleAsync();
            await FitsAsync(admin, screen);
            await ScreenshotAsync(admin, $"security-setup-en-{screen.Name}");
            await GoAsync(admin, App.StoreUrl(store, "/admin/security?lang=nl"));
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Inloggen in twee stappen instellen" })).ToBeVisibleAsync();
            await ScreenshotAsync(admin, $"security-setup-nl-{screen.Name}");
            await GoAsync(admin, App.StoreUrl(store, "/admin"), 200);
            admin.Url.ShouldContain("/admin/security?required=true");

            // The key as the app would read it; a wrong code first.
            var key = (await admin.Locator("#setup-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await admin.GetByLabel("Enter the 6-digit code the app shows").FillAsync(Wrong(key));
            await admin.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
            await Expect(admin.Locator("#code-error")).ToContainTextAsync("That code is not right");
            await admin.GetByLabel("Enter the 6-digit code the app shows").FillAsync(TwoFactor.CodeFor(key));
            await admin.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Your recovery codes" })).ToBeVisibleAsync();
            (await admin.Locator("#recovery-codes li").CountAsync()).ShouldBe(10);
            await FitsAsync(admin, screen);
            await ScreenshotAsync(admin, $"security-recovery-codes-en-{screen.Name}");

            // Now the rest of the admin opens; the rule reads "on".
            await GoAsync(admin, App.StoreUrl(store, "/admin/team"));
            await Expect(admin.Locator("#rule-now")).ToHaveTextAsync("On: Owners must use two-factor sign-in.");
            await GoAsync(admin, App.StoreUrl(store, "/admin/security?lang=nl"));
            await Expect(admin.Locator("#two-factor-status")).ToHaveTextAsync("Je logt in met je wachtwoord en een code uit je authenticator-app.");
            await ScreenshotAsync(admin, $"security-on-nl-{screen.Name}");
            await GoAsync(admin, App.StoreUrl(store, "/admin/security"));
            await ScreenshotAsync(admin, $"security-on-en-{screen.Name}");

            await admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await admin.WaitForURLAsync(url => url.Contains("/admin/signin", StringComparison.Ordinal));

            // Password, then the code: the password alone reaches only the code step.
            await admin.GetByLabel("Email").FillAsync(Owner(screen));
            await admin.GetByLabel("Password").FillAsync(Members.Password);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await admin.WaitForURLAsync(url => url.Contains("/admin/signin/code", StringComparison.Ordinal));
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
            await Expect(admin.GetByLabel("Code", new() { Exact = true })).ToBeFocusedAsync();
            await FitsAsync(admin, screen);
            await ScreenshotAsync(admin, $"signin-code-en-{screen.Name}");
            await GoAsync(admin, App.StoreUrl(store, "/admin/signin/code?lang=nl"));
            await admin.GetByLabel("Code", new() { Exact = true }).FillAsync(Wrong(key));
            await admin.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
            await Expect(admin.Locator("#code-error")).ToContainTextAsync("Die code klopt niet");
            await ScreenshotAsync(admin, $"signin-code-nl-wrong-{screen.Name}");

            await admin.GetByLabel("Code", new() { Exact = true }).FillAsync(TwoFactor.CodeFor(key, stepsAhead: 1));
            await admin.Keyboard.PressAsync("Enter");
            await admin.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
            await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Uitloggen" }).Or(admin.GetByRole(AriaRole.Button, new() { Name = "Sign out" }))).ToBeVisibleAsync();

            // ... and sees in the audit log what changed, newest first, with where it came from.
            await GoAsync(admin, App.StoreUrl(store, "/admin/audit"));
            var rows = admin.Locator("table.audit-table tbody tr");
            await Expect(rows.Nth(0)).ToContainTextAsync("Signed in with a password and a second factor");
            await Expect(rows.Filter(new() { HasText = "turned on two-factor sign-in" })).ToHaveCountAsync(1);
            await Expect(rows.Filter(new() { HasText = "Required every Owner to sign in with two factors" })).ToHaveCountAsync(1);
            await Expect(rows.Nth(0).Locator("td").Nth(3)).ToContainTextAsync("127.0.0.1");
            await FitsAsync(admin, screen);
            await ScreenshotAsync(admin, $"audit-after-two-factor-en-{screen.Name}");
        }

        PolicyViolations.ShouldBeEmpty();
    }

    private static async Task FitsAsync(IPage page, Screen screen) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);

    private static string Wrong(string key)
    {
        var near = Enumerable.Range(-2, 5).Select(s => TwoFactor.CodeFor(key, s)).ToHashSet();
        return Enumerable.Range(0, 20).Select(i => (654321 - i * 7919).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !near.Contains(c));
    }
}
