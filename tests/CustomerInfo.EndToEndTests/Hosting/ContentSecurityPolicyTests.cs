using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Hosting;

/// <summary>
/// Issue 14 §2 in Chromium: the pages with the most inline content (the kiosk's brand style, the
/// dashboard's SVG chart, the form builder with its framed preview, the QR codes, the branding
/// sample, Hangfire's own dashboard) run under the Content-Security-Policy with no violation, and
/// look as before (the screenshots).
/// </summary>
[Collection(SharedBrowser.Collection)]
public class ContentSecurityPolicyTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "owner@acme.test";

    protected override async Task ArrangeAsync()
    {
        var tenantId = await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddKioskLinkAsync(tenantId, "City Centre");
        await App.AddMemberAsync("acme", Manager, TeamRole.Owner);
    }

    [Fact]
    public async Task The_kiosk_runs_styled_with_its_brand_colour_and_no_violation()
    {
        var kiosk = await OpenAsync(App.StoreUrl("acme", "/"), Screen.Tablet);
        await Expect(kiosk.Locator("#signup")).ToBeVisibleAsync();
        // Opened a second time: the empty form now comes from the cache, its style allowed by the same hash.
        await GoAsync(kiosk, App.StoreUrl("acme", "/"));
        await Expect(kiosk.Locator("#signup")).ToBeVisibleAsync();

        var brand = await kiosk.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()");
        brand.ShouldStartWith("#");
        // kiosk.css applied: the page is not in the browser's default serif font.
        (await kiosk.EvaluateAsync<string>("getComputedStyle(document.body).fontFamily")).ShouldNotBe("\"Times New Roman\"");
        await ScreenshotAsync(kiosk, "csp-kiosk-tablet");
        PolicyViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_admin_dashboard_form_builder_preview_branding_and_stores_run_with_no_violation()
    {
        var admin = await OpenAsync(App.StoreUrl("acme", "/admin/signin"), Screen.Desktop);
        await admin.GetByLabel("Email").FillAsync(Manager);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(admin.Locator("svg.chart")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "csp-admin-dashboard-desktop");

        await GoAsync(admin, App.StoreUrl("acme", "/admin/form"));
        var preview = admin.FrameLocator("#preview");
        await Expect(preview.Locator("#signup")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ScreenshotAsync(admin, "csp-form-builder-desktop");

        await GoAsync(admin, App.StoreUrl("acme", "/admin/branding"));
        // The saved colours reach the sample through the nonce'd style, not a style attribute.
        (await admin.EvaluateAsync<string>("getComputedStyle(document.getElementById('brand-sample')).getPropertyValue('--sample-brand').trim()")).ShouldStartWith("#");

        await GoAsync(admin, App.StoreUrl("acme", "/admin/stores"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "City Centre" }).First.ClickAsync();
        await Expect(admin.Locator("svg.qr-code").First).ToBeVisibleAsync();
        PolicyViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_hangfire_dashboard_loads_its_scripts_under_its_own_policy()
    {
        var page = await OpenAsync(App.PlatformUrl("/owner/signin"));
        await page.GetByLabel("Email").FillAsync(AppFactory.OwnerEmail);
        await page.GetByLabel("Password").FillAsync(AppFactory.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(App.PlatformUrl("/owner").ToString());

        await GoAsync(page, App.PlatformUrl("/hangfire"));
        await Expect(page.GetByText("CustomerInfo jobs").First).ToBeVisibleAsync();
        // Its scripts ran: the realtime graph is drawn into a canvas by Hangfire's own script.
        await Expect(page.Locator("canvas").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "csp-hangfire-desktop");
        PolicyViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_style_attribute_or_an_inline_script_without_the_nonce_is_refused_and_reported()
    {
        var kiosk = await OpenAsync(App.StoreUrl("acme", "/"), Screen.Tablet);
        await kiosk.EvaluateAsync("() => { document.body.insertAdjacentHTML('beforeend', '<p id=\"styled\" style=\"color: rgb(255, 0, 0)\">x</p>'); const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s); }");

        (await kiosk.EvaluateAsync<string>("getComputedStyle(document.getElementById('styled')).color")).ShouldNotBe("rgb(255, 0, 0)");
        (await kiosk.EvaluateAsync<bool>("window.injected === true")).ShouldBeFalse();
        await Expect(kiosk.Locator("#signup")).ToBeVisibleAsync();
        for (var attempt = 0; attempt < 50 && PolicyViolations.Count < 2; attempt++)
        {
            await Task.Delay(100);
        }

        PolicyViolations.ShouldContain(v => v.Contains("style-src-attr", StringComparison.Ordinal));
        PolicyViolations.ShouldContain(v => v.Contains("script-src", StringComparison.Ordinal));
        ForgetPolicyViolations();
    }
}
