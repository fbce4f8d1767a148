using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The dashboard and the contact pages in Chromium, with data and without, at desktop and tablet size, in English and Dutch.</summary>
[Collection(SharedBrowser.Collection)]
public class AdminDataPagesTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    /// <summary>The retailer's tablet in the back office (an iPad Air, portrait).</summary>
    private static readonly Screen Tablet = new("tablet", 820, 1180, IsTouch: true);

    private const string Manager = "manager@acme.test";

    private Guid survivor;

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddStoreAsync("empty", "Empty Hats");
        await App.SendAsync("acme", new PublishFormDefinitionCommand(FormDefinition.StarterFor("Acme Shoes") with
        {
            Fields =
            [
                new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.LastName, FieldRequirement.Optional),
                new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional),
            ],
        }));
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
        await App.AddMemberAsync("empty", "owner@empty.test", TeamRole.Owner);

        var now = DateTimeOffset.UtcNow;
        var centrum = await App.AddRetailStoreAsync("acme", "Centrum", addedAt: now.AddDays(-60));
        var station = await App.AddRetailStoreAsync("acme", "Station Zuid", addedAt: now.AddDays(-40));
        await App.AddRetailStoreAsync("acme", "Outlet Noord", addedAt: now.AddDays(-2));
        int[] perDay = [3, 5, 0, 2, 7, 4, 0, 0, 6, 9, 3, 1, 0, 4, 8, 5, 2, 0, 3, 6, 11, 7, 2, 0, 1, 4, 6, 3, 5, 2];
        for (var day = 0; day < perDay.Length; day++)
        {
            for (var i = 0; i < perDay[day]; i++)
            {
                var at = now.AddDays(-day).AddMinutes(-7 * i - 1);
                await App.AddSignUpAtAsync("acme", at, i % 3 == 2 ? null : i % 2 == 0 ? centrum : station, emailConsent: i % 4 != 3, smsConsent: i % 3 == 0);
            }
        }

        await SignUpAsync("Sanne", "de Boer", "sanne.deboer@example.com", "0611111111", emailConsent: true, smsConsent: true);
        await SignUpAsync("Daan", "Visser", "daan@example.com", null, emailConsent: true, smsConsent: false);
        await SignUpAsync("Fleur", "Jansen", null, "0633333333", emailConsent: false, smsConsent: true);
        // Lotte signs up twice, once by email, once by phone, then with both: one contact, merged.
        survivor = await SignUpAsync("Lotte", "Bakker", "lotte.bakker@example.com", null, emailConsent: true, smsConsent: false);
        await SignUpAsync("Lotte", null, null, "0644444444", emailConsent: false, smsConsent: true);
        await SignUpAsync("Lotte", "Bakker", "lotte.bakker@example.com", "0644444444", emailConsent: true, smsConsent: true);
    }

    private async Task<Guid> SignUpAsync(string first, string? last, string? email, string? phone, bool emailConsent, bool smsConsent)
    {
        var result = await App.SendAsync("acme", new SubmitSignUpCommand
        {
            SubmissionId = Guid.NewGuid(),
            Language = "nl",
            FirstName = first,
            LastName = last,
            Email = email,
            Phone = phone,
            EmailConsent = emailConsent,
            SmsConsent = smsConsent,
        });
        return (await App.SendAsync("acme", new LinkSignUpToContactCommand(result.SignUpId))).ContactId!.Value;
    }

    private async Task<IPage> SignedInAsync(Screen screen, string locale = BrowserFixture.DefaultLocale, string store = "acme", string email = Manager)
    {
        var page = await NewPageAsync(screen, locale);
        await page.GotoAsync(App.StoreUrl(store, "/admin/signin").ToString());
        await page.Locator("#Command_Email").FillAsync(email);
        await page.Locator("#Command_Password").FillAsync(Members.Password);
        await page.Locator("button[type=submit].wide").ClickAsync();
        // Generous: the machine the suite runs on may be busy, and sign-in hashes a password.
        await page.WaitForURLAsync(url => url.Contains("/admin", StringComparison.Ordinal) && !url.Contains("signin", StringComparison.Ordinal), new() { Timeout = 90_000 });
        return page;
    }

    private static async Task FitsAsync(IPage page, Screen screen) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width, $"{page.Url} is wider than the {screen.Name}");

    [Fact]
    public async Task The_dashboard_shows_the_numbers_the_chart_and_the_split_per_store()
    {
        foreach (var (screen, locale) in new[] { (Screen.Desktop, "en-GB"), (Tablet, "en-GB"), (Screen.Desktop, "nl-NL") })
        {
            var page = await SignedInAsync(screen, locale);
            await GoAsync(page, App.StoreUrl("acme", "/admin"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(locale == "en-GB" ? "Dashboard" : "Overzicht");
            await Expect(page.Locator("[data-stat=today]")).ToHaveTextAsync("9"); // 3 from the kiosk data, 6 contacts' sign-ups
            await Expect(page.Locator("svg.chart rect.bar")).ToHaveCountAsync(30);
            await Expect(page.Locator("svg.chart[role=img]")).ToHaveAttributeAsync("aria-labelledby", "signups-chart-title signups-chart-desc");
            await Expect(page.Locator("table.per-store")).ToContainTextAsync("Centrum");
            await Expect(page.Locator("table.per-store")).ToContainTextAsync(locale == "en-GB" ? "No store" : "Zonder winkel");
            await FitsAsync(page, screen);
            await Screenshots.SaveAsync(page, $"admin-dashboard-{screen.Name}-{locale[..2]}");
        }
    }

    [Fact]
    public async Task An_empty_dashboard_says_there_is_nothing_yet_and_shows_dashes_for_the_shares()
    {
        foreach (var screen in new[] { Screen.Desktop, Tablet })
        {
            var page = await SignedInAsync(screen, store: "empty", email: "owner@empty.test");
            await GoAsync(page, App.StoreUrl("empty", "/admin"));
            await Expect(page.Locator("[data-stat=month]")).ToHaveTextAsync("0");
            await Expect(page.Locator("[data-stat=email-consent]")).ToHaveTextAsync("—");
            await Expect(page.GetByText("Sign-ups wait until your CRM is connected, then they are all sent.")).ToBeVisibleAsync();
            await FitsAsync(page, screen);
            await Screenshots.SaveAsync(page, $"admin-dashboard-empty-{screen.Name}-en");
        }
    }

    [Fact]
    public async Task A_manager_finds_a_merged_contact_sees_where_it_came_from_and_records_a_withdrawal()
    {
        foreach (var (screen, locale) in new[] { (Screen.Desktop, "en-GB"), (Tablet, "en-GB"), (Screen.Desktop, "nl-NL") })
        {
            var page = await SignedInAsync(screen, locale);
            await GoAsync(page, App.StoreUrl("acme", "/admin/contacts"));
            await Expect(page.Locator("table.contact-list tbody tr")).ToHaveCountAsync(4);
            await FitsAsync(page, screen);
            await Screenshots.SaveAsync(page, $"admin-contacts-{screen.Name}-{locale[..2]}");
        }

        var manager = await SignedInAsync(Screen.Desktop);
        await GoAsync(manager, App.StoreUrl("acme", "/admin/contacts"));
        await manager.GetByLabel("Search contacts").FillAsync("lot");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(manager.Locator("table.contact-list tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(manager, "admin-contacts-search-desktop-en");
        await manager.GetByRole(AriaRole.Link, new() { Name = "Lotte Bakker" }).ClickAsync();
        await Expect(manager).ToHaveURLAsync(App.StoreUrl("acme", $"/admin/contacts/{survivor}").ToString());
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Merged from" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(manager, "admin-contact-merged-desktop-en");

        await manager.GetByRole(AriaRole.Button, new() { Name = "Record: shopper withdrew SMS consent" }).ClickAsync();
        await Expect(manager.GetByText("Recorded: the shopper withdrew their SMS consent.")).ToBeVisibleAsync();
        await Expect(manager.Locator("#consent-Sms").Locator("xpath=..")).ToContainTextAsync("Withdrawn");
        await Screenshots.SaveAsync(manager, "admin-contact-withdrawn-desktop-en");

        await manager.GetByRole(AriaRole.Link, new() { Name = "Erase this shopper" }).ClickAsync();
        await Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Erase this shopper for good?" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(manager, "admin-contact-erase-confirm-desktop-en", fullPage: false);
        await manager.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();

        foreach (var (screen, locale) in new[] { (Tablet, "en-GB"), (Tablet, "nl-NL") })
        {
            var page = await SignedInAsync(screen, locale);
            await GoAsync(page, App.StoreUrl("acme", $"/admin/contacts/{survivor}"));
            await Expect(page.Locator("table.merged-from tbody tr")).ToHaveCountAsync(1);
            await FitsAsync(page, screen);
            await Screenshots.SaveAsync(page, $"admin-contact-merged-{screen.Name}-{locale[..2]}");
        }
    }
}
