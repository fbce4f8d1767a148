using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The admin's navigation with every item an Owner has, on the counter's tablet (portrait and landscape), in English and Dutch.</summary>
[Collection(SharedBrowser.Collection)]
public class AdminNavTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Owner = "owner@acme-schoenen.test";

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Schoenen Amsterdam");
        await App.AddMemberAsync("acme", Owner, TeamRole.Owner);
    }

    [Fact]
    public async Task On_a_tablet_the_nav_has_a_row_of_its_own_and_no_item_is_broken_over_two_lines()
    {
        foreach (var (screen, locale) in new[] { (Screen.Tablet, "en-GB"), (Screen.Tablet, "nl-NL"), (Screen.TabletLandscape, "nl-NL") })
        {
            var page = await NewPageAsync(screen, locale);
            await page.GotoAsync(App.StoreUrl("acme", "/admin/signin").ToString());
            await page.Locator("#Command_Email").FillAsync(Owner);
            await page.Locator("#Command_Password").FillAsync(Members.Password);
            await page.Locator("button[type=submit].wide").ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/admin", StringComparison.Ordinal) && !url.Contains("signin", StringComparison.Ordinal), new() { Timeout = 90_000 });

            await Screenshots.SaveAsync(page, $"admin-nav-{screen.Name}-{locale[..2]}", fullPage: false);
            var links = page.Locator("nav.admin-nav a");
            (await links.CountAsync()).ShouldBe(12);
            var brand = (await page.Locator(".topbar .brand").BoundingBoxAsync())!;
            var account = (await page.Locator(".topbar .account").BoundingBoxAsync())!;
            var nav = (await page.Locator("nav.admin-nav").BoundingBoxAsync())!;
            var name = $"{screen.Name} {locale}";
            nav.Y.ShouldBeGreaterThanOrEqualTo(Math.Max(brand.Y + brand.Height, account.Y + account.Height) - 1, $"{name}: the nav sits below the store's name and the account, not squeezed between them");
            foreach (var box in await Task.WhenAll((await links.AllAsync()).Select(l => l.BoundingBoxAsync())))
            {
                box!.Height.ShouldBeLessThan(40, $"{name}: an item is broken over two lines");
                (box.X + box.Width).ShouldBeLessThanOrEqualTo(screen.Width, name);
            }

            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width, name);
        }
    }
}
