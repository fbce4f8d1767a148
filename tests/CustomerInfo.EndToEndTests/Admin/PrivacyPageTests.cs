using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The privacy page as an Owner uses it: a shopper's request, and how long the store keeps shoppers (issue 14 §6).</summary>
[Collection(SharedBrowser.Collection)]
public class PrivacyPageTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Owner = "owner@keeps.test";

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("keeps", "Keeps Books");
        await App.AddMemberAsync("keeps", Owner, TeamRole.Owner);
    }

    private Task<IPage> SignInAsync(Screen screen) => SignInAsync(App.StoreUrl("keeps", "/admin/signin"), Owner, screen);

    [Fact]
    public async Task An_owner_chooses_by_keyboard_to_keep_shoppers_until_erased_in_english_and_dutch_on_desktop_and_tablet()
    {
        foreach (var screen in new[] { Screen.Desktop, Screen.Tablet })
        {
            var admin = await SignInAsync(screen);
            await GoAsync(admin, App.StoreUrl("keeps", "/admin/privacy"));
            await Expect(admin.Locator("#retention-now")).ToHaveTextAsync("Shoppers' data is erased 24 months after their latest sign-up.");
            (await admin.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);
            await ScreenshotAsync(admin, $"privacy-en-{screen.Name}");

            await GoAsync(admin, App.StoreUrl("keeps", "/admin/privacy?lang=nl"));
            await admin.GetByLabel("Klantgegevens bewaren").FocusAsync();
            await admin.GetByLabel("Klantgegevens bewaren").SelectOptionAsync(new SelectOptionValue { Label = "Tot ik ze wis" });
            await admin.Keyboard.PressAsync("Tab");
            await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Opslaan" })).ToBeFocusedAsync();
            await admin.Keyboard.PressAsync("Enter");
            await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Opgeslagen." })).ToBeVisibleAsync();
            await Expect(admin.Locator("#retention-now")).ToHaveTextAsync("Klantgegevens blijven bewaard tot je ze wist.");
            (await admin.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);
            await ScreenshotAsync(admin, $"privacy-nl-saved-{screen.Name}");
            (await App.TenantAsync("keeps")).RetentionMonths.ShouldBeNull();

            await admin.GetByLabel("Klantgegevens bewaren").SelectOptionAsync("24");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
            await Expect(admin.Locator("#retention-now")).ToHaveTextAsync("Klantgegevens worden 24 maanden na de laatste aanmelding gewist.");
        }
    }
}
