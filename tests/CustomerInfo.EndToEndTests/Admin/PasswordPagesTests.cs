using CustomerInfo.Application.Accounts;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The forgot-password, reset-password and apex sign-in pages in a browser, at desktop and tablet size.</summary>
[Collection(SharedBrowser.Collection)]
public class PasswordPagesTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private static readonly Screen[] Screens = [Screen.Desktop, Screen.Tablet];
    private Guid acme;
    private TeamMember ann = null!;

    protected override async Task ArrangeAsync()
    {
        acme = await App.AddStoreAsync("acme", "Acme Shoes");
        ann = await App.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);
    }

    [Fact]
    public async Task Forgot_password_asks_for_the_address_and_answers_the_same_for_any()
    {
        foreach (var screen in Screens)
        {
            var page = await OpenAsync(App.StoreUrl("acme", "/admin/forgot-password"), screen);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Reset your password");
            await FitsAndReadsAsync(page, screen);
            await page.Keyboard.PressAsync("Tab");
            await ScreenshotAsync(page, $"forgot-password-{screen.Name}");

            await page.GetByLabel("Email").FillAsync("nobody@acme.test");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("If an account of this store uses that address");
            await FitsAndReadsAsync(page, screen);
            await ScreenshotAsync(page, $"forgot-password-sent-{screen.Name}");
        }
    }

    [Fact]
    public async Task Reset_password_shows_the_form_its_errors_and_a_dead_link()
    {
        foreach (var screen in Screens)
        {
            var token = App.Services.GetRequiredService<AccountTokens>().Issue(AccountTokenPurpose.ResetPassword, acme, ann);
            var page = await OpenAsync(App.StoreUrl("acme", $"/admin/reset-password?token={token}"), screen);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Choose a new password");
            var password = page.GetByLabel("New password");
            await password.FillAsync("short");
            await page.GetByRole(AriaRole.Button, new() { Name = "Change the password" }).ClickAsync();
            await Expect(page.GetByText("Use at least 10 characters.")).ToBeVisibleAsync();
            await page.GetByLabel("New password").FocusAsync();
            (await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle")).ShouldNotBe("none");
            await FitsAndReadsAsync(page, screen);
            await ScreenshotAsync(page, $"reset-password-error-{screen.Name}");

            var dead = await OpenAsync(App.StoreUrl("acme", "/admin/reset-password?token=forged"), screen, status: 404);
            await Expect(dead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not work");
            await FitsAndReadsAsync(dead, screen);
            await ScreenshotAsync(dead, $"reset-password-unknown-{screen.Name}");
        }

        var changed = await OpenAsync(App.StoreUrl("acme", "/admin/signin?passwordChanged=true"));
        await Expect(changed.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your password is changed. Sign in with the new one.");
        await ScreenshotAsync(changed, "signin-password-changed-desktop");
    }

    [Fact]
    public async Task The_apex_sign_in_asks_for_an_address_in_english_or_dutch()
    {
        var landing = await OpenAsync(App.PlatformUrl());
        await landing.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await Expect(landing.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");

        foreach (var screen in Screens)
        {
            var page = await OpenAsync(App.PlatformUrl("/signin"), screen);
            await FitsAndReadsAsync(page, screen);
            await ScreenshotAsync(page, $"apex-signin-{screen.Name}");
            await page.GetByLabel("Email").FillAsync("ann@acme.test");
            await page.GetByRole(AriaRole.Button, new() { Name = "Mail me my sign-in links" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a mail to that address with the stores it can sign in to.");
            await ScreenshotAsync(page, $"apex-signin-sent-{screen.Name}");
        }

        var dutch = await OpenAsync(App.PlatformUrl("/signin?lang=nl"), Screen.Tablet);
        await Expect(dutch.GetByRole(AriaRole.Button, new() { Name = "Mail mijn inloglinks" })).ToBeVisibleAsync();
        await ScreenshotAsync(dutch, "apex-signin-nl-tablet");
    }

    /// <summary>No sideways scrolling, and WCAG AA contrast (4.5:1) for the text on its background.</summary>
    private static async Task FitsAndReadsAsync(IPage page, Screen screen)
    {
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);
        (await page.EvaluateAsync<double>(ContrastScript, "h1, p, label, .muted, .field-error, .done, a, button")).ShouldBeGreaterThanOrEqualTo(4.5);
    }

    private const string ContrastScript = """
        selector => {
          const rgb = c => c.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor; const v = rgb(c); if (v.length < 4 || v[3] > 0) return v; } return [255, 255, 255]; };
          let lowest = 21;
          for (const el of document.querySelectorAll(selector)) {
            if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
            lowest = Math.min(lowest, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
          }
          return lowest;
        }
        """;
}
