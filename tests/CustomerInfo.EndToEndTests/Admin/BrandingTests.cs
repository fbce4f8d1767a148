using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 11's branding, as a Manager would do it: upload a logo, pick colours (an unreadable pair
/// is refused with its reason, then a readable one is saved), and see the kiosk on a tablet wear them.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class BrandingTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "manager@acme.test";

    /// <summary>An iPad Air in portrait, the size of the tablets on retailers' counters.</summary>
    private static readonly Screen Counter = new("tablet-820", 820, 1180, IsTouch: true);

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    private Task<IPage> SignInAsync(Screen screen) => SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, screen);

    [Fact]
    public async Task A_manager_uploads_a_logo_and_picks_colours_and_the_kiosk_on_a_tablet_shows_them()
    {
        var admin = await SignInAsync(Screen.Desktop);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Branding" }).First.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Branding", Level = 1 })).ToBeVisibleAsync();

        // The logo: a JPEG straight from a camera, EXIF and all.
        await admin.GetByLabel("Logo file").SetInputFilesAsync(new FilePayload { Name = "logo.jpg", MimeType = "image/jpeg", Buffer = TestImages.JpegWithExifAndTrailer() });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload logo" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Your logo is uploaded and published as version 1.");
        (await admin.Locator(".logo-current img").EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(0);

        // An SVG is refused next to the file field, naming what is accepted.
        await admin.GetByLabel("Logo file").SetInputFilesAsync(new FilePayload { Name = "logo.svg", MimeType = "image/svg+xml", Buffer = TestImages.Svg() });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload logo" }).ClickAsync();
        await Expect(admin.Locator("#logo-error")).ToHaveTextAsync("SVG files can't be used; upload a PNG, JPEG or WebP image.");

        // A grey too light for white text: refused with the ratio, next to the field.
        await admin.GetByLabel("Code (#rrggbb)").First.FillAsync("#777777");
        await Expect(admin.Locator("#contrast-readout")).ToContainTextAsync("Text on primary 4.48:1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save and publish" }).ClickAsync();
        await Expect(admin.Locator("#primary-error")).ToContainTextAsync("would have a contrast of 4.48:1; at least 4.5:1 is needed");
        await Expect(admin.Locator("#primary-code")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(admin, "branding-refused-desktop");

        // A yellow brand with dark text, picked with the colour picker, on a warm background.
        await admin.Locator("#primary-picker").FillAsync("#ffd400");
        await Expect(admin.Locator("#primary-code")).ToHaveValueAsync("#ffd400");
        await admin.Locator("#background-code").FillAsync("#fff8e1");
        (await admin.Locator(".brand-sample-button").EvaluateAsync<string>("e => getComputedStyle(e).color")).ShouldBe("rgb(23, 32, 43)");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save and publish" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Your branding is saved and published as version 2.");
        await ScreenshotAsync(admin, "branding-desktop");

        // The kiosk on the counter's tablet: the logo in a yellow header with dark text, the warm background.
        var tablet = await OpenAsync(App.StoreUrl("acme", "/"), Counter);
        var logo = tablet.Locator(".kiosk-head img.logo");
        await Expect(logo).ToBeVisibleAsync();
        await Expect(logo).ToHaveAttributeAsync("alt", "Acme Shoes");
        (await logo.EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(0);
        (await logo.EvaluateAsync<double>("img => img.getBoundingClientRect().height")).ShouldBe(56, 0.5);
        (await tablet.Locator(".kiosk-head").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(255, 212, 0)");
        (await tablet.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(255, 248, 225)");
        (await tablet.Locator("#signup .submit").EvaluateAsync<string>("e => getComputedStyle(e).color")).ShouldBe("rgb(23, 32, 43)");
        await ScreenshotAsync(tablet, "kiosk-with-logo-tablet");
    }

    [Fact]
    public async Task The_branding_page_reads_well_on_desktop_and_tablet_in_english_and_dutch()
    {
        foreach (var screen in new[] { Screen.Desktop, Counter })
        {
            var admin = await SignInAsync(screen);
            await GoAsync(admin, App.StoreUrl("acme", "/admin/branding"));
            await Expect(admin.GetByLabel("Store name")).ToHaveValueAsync("Acme Shoes");
            await ScreenshotAsync(admin, $"branding-en-{screen.Name}");
            await GoAsync(admin, App.StoreUrl("acme", "/admin/branding?lang=nl"));
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Huisstijl", Level = 1 })).ToBeVisibleAsync();
            await admin.GetByLabel("Code (#rrggbb)").First.FillAsync("#777777");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Opslaan en publiceren" }).ClickAsync();
            await Expect(admin.Locator("#primary-error")).ToContainTextAsync("4,48:1");
            await ScreenshotAsync(admin, $"branding-nl-{screen.Name}");
        }
    }
}
