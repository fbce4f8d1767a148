using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The sign-up list (with sign-ups and empty) and a sign-up's page in a browser, at desktop and tablet size, in English and Dutch.</summary>
[Collection(SharedBrowser.Collection)]
public class SignUpPagesTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private static readonly Screen[] Screens = [Screen.Desktop, Screen.Tablet];
    private Guid annId;

    protected override async Task ArrangeAsync()
    {
        var acme = await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddStoreAsync("empty", "Empty Store");
        await App.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        await App.AddMemberAsync("empty", "staff@empty.test", TeamRole.Staff);

        var store = Guid.NewGuid();
        await using (var session = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString()))
        {
            session.Events.StartStream(store, new StoreAdded(store, "Utrecht Centrum", "Europe/Amsterdam", null, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        string[][] shoppers = [["Ann", "Oosterhout", "ann.oosterhout@example.com", "06 12345678"], ["Bram", "de Wit", "bram@example.com", ""], ["Chloé", "Janssen-van Leeuwenhoek", "chloe.janssen.van.leeuwenhoek@example.com", "06 87654321"]];
        foreach (var shopper in shoppers)
        {
            var result = await App.SendAsync("acme", new SubmitSignUpCommand
            {
                SubmissionId = Guid.NewGuid(),
                FirstName = shopper[0],
                LastName = shopper[1],
                Email = shopper[2],
                Phone = shopper[3],
                EmailConsent = true,
                SmsConsent = shopper[3].Length > 0,
            });
            annId = annId == Guid.Empty ? result.SignUpId : annId;
        }

        await using var stores = App.Services.GetRequiredService<IDocumentStore>().LightweightSession(acme.ToString());
        var id = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        stores.Events.StartStream(id, new SignUpSubmitted(id, 1, "nl", null, at, at, new Shopper("Daan", "Visser", "daan@example.com", null, null, null), [], null, null, store));
        await stores.SaveChangesAsync();
    }

    private async Task<IPage> SignedInAsync(string store, string email, Screen screen, string locale = BrowserFixture.DefaultLocale)
    {
        var page = await NewPageAsync(screen, locale);
        await GoAsync(page, App.StoreUrl(store, "/admin/signin"));
        await page.Locator("input[type=email]").FillAsync(email);
        await page.Locator("input[type=password]").FillAsync(Members.Password);
        await page.Locator("form button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    private static async Task FitsAsync(IPage page, Screen screen) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);

    [Fact]
    public async Task The_list_shows_the_sign_ups_finds_one_by_email_and_opens_it()
    {
        foreach (var screen in Screens)
        {
            var page = await SignedInAsync("acme", "manager@acme.test", screen);
            await GoAsync(page, App.StoreUrl("acme", "/admin/signups"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign-ups");
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(4);
            await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Utrecht Centrum" })).ToBeVisibleAsync();
            await FitsAsync(page, screen);
            await ScreenshotAsync(page, $"signups-list-{screen.Name}");

            await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("ANN.oosterhout@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
            page.Url.ShouldNotContain("oosterhout", Case.Insensitive);
            await page.GetByRole(AriaRole.Link, new() { Name = "Ann Oosterhout" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ann Oosterhout");
            await Expect(page.GetByText("Signed up", new() { Exact = true })).ToBeVisibleAsync();
            await FitsAsync(page, screen);
            await ScreenshotAsync(page, $"signups-detail-{screen.Name}");
        }
    }

    [Fact]
    public async Task The_list_and_a_sign_up_in_dutch()
    {
        var page = await SignedInAsync("acme", "manager@acme.test", Screen.Desktop, "nl-NL");
        await GoAsync(page, App.StoreUrl("acme", "/admin/signups?lang=nl"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Aanmeldingen");
        await ScreenshotAsync(page, "signups-list-desktop-nl");
        await GoAsync(page, App.StoreUrl("acme", $"/admin/signups/{annId}?lang=nl"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToHaveTextAsync("Wat de klant invulde");
        await ScreenshotAsync(page, "signups-detail-desktop-nl");
    }

    [Fact]
    public async Task A_store_without_sign_ups_says_so()
    {
        foreach (var screen in Screens)
        {
            var page = await SignedInAsync("empty", "staff@empty.test", screen);
            await GoAsync(page, App.StoreUrl("empty", "/admin/signups"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No sign-ups yet" })).ToBeVisibleAsync();
            await FitsAsync(page, screen);
            await ScreenshotAsync(page, $"signups-empty-{screen.Name}");
        }
    }
}
