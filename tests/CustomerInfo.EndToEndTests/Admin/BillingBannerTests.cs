using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The past-due and unpaid banners in a browser, in English and Dutch, on a desktop and a phone: readable, and in contrast.</summary>
[Collection(SharedBrowser.Collection)]
public class BillingBannerTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Subscription = "sub_banner";
    private Guid acme;

    protected override async Task ArrangeAsync()
    {
        acme = await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", "owner@acme.test", TeamRole.Owner);
        await RecordAsync(new TenantFact.SubscriptionActive(Subscription, "store", DateTimeOffset.UtcNow.AddDays(-40)));
    }

    [Theory]
    [InlineData("en", "Your last payment failed.")]
    [InlineData("nl", "Je laatste betaling is mislukt.")]
    public async Task The_past_due_banner_reads_well_and_links_to_billing(string language, string text)
    {
        var failed = DateTimeOffset.UtcNow.AddDays(-2);
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, failed.AddDays(7), failed));

        await ShowsAsync(language, text, "status", $"billing-past-due-{language}");
    }

    [Theory]
    [InlineData("en", "Your kiosk is closed because payment failed.")]
    [InlineData("nl", "Je kiosk is gesloten omdat de betaling is mislukt.")]
    public async Task The_unpaid_banner_reads_well_and_links_to_billing(string language, string text)
    {
        var failed = DateTimeOffset.UtcNow.AddDays(-10);
        await RecordAsync(new TenantFact.PaymentFailed(Subscription, failed.AddDays(7), failed));
        await RecordAsync(new TenantFact.EndGrace(failed.AddDays(7)));

        await ShowsAsync(language, text, "alert", $"billing-unpaid-{language}");
    }

    private async Task ShowsAsync(string language, string text, string role, string screenshot)
    {
        foreach (var screen in new[] { Screen.Desktop, Screen.Phone })
        {
            var page = await NewPageAsync(screen);
            await GoAsync(page, App.StoreUrl("acme", "/admin/signin"));
            await page.Locator("input[type=email]").FillAsync("owner@acme.test");
            await page.Locator("input[type=password]").FillAsync(Members.Password);
            await page.Locator("form button[type=submit]").First.ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
            await GoAsync(page, App.StoreUrl("acme", $"/admin?lang={language}"));

            var banner = page.Locator($".banner[role={role}]");
            (await banner.InnerTextAsync()).ShouldContain(text);
            (await banner.Locator("a").GetAttributeAsync("href")).ShouldBe("/admin/billing");
            (await page.EvaluateAsync<double>(ContrastScript, ".banner p, .banner a")).ShouldBeGreaterThanOrEqualTo(4.5);
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);
            await ScreenshotAsync(page, $"{screenshot}-{screen.Name}", fullPage: false);
        }
    }

    private async Task RecordAsync(TenantFact fact) =>
        (await App.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, fact, default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);

    private const string ContrastScript = """
        selector => {
          const rgb = c => c.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor; const v = rgb(c); if (v.length < 4 || v[3] > 0) return v; } return [255, 255, 255]; };
          let lowest = 21;
          for (const el of document.querySelectorAll(selector)) {
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
            lowest = Math.min(lowest, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
          }
          return lowest;
        }
        """;
}
