using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Push status in a browser: the list with every status, a failed sign-up's page and its retry, and
/// the dashboard's CRM figures (connected, and not), at desktop and tablet size, in English and Dutch.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class CrmPushStatusTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private static readonly Screen[] Screens = [Screen.Desktop, Screen.Tablet];
    private Guid failed;
    private Guid refusedByHubSpot;
    private Guid optedOut;

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddStoreAsync("fresh", "Fresh Flowers");
        await App.AddMemberAsync("acme", "manager@acme.test", TeamRole.Manager);
        await App.AddMemberAsync("acme", "staff@acme.test", TeamRole.Staff);
        await App.AddMemberAsync("fresh", "owner@fresh.test", TeamRole.Owner);
        var connection = await App.ConnectCrmAsync("acme");
        var now = DateTimeOffset.UtcNow;

        var pushed = await App.AddSignUpAtAsync("acme", now.AddMinutes(-50), emailConsent: true, shopper: new Shopper("Petra", "de Boer", "petra@example.com", null, null, null));
        await App.PushedAsync("acme", pushed, connection, "hs-40917", now.AddMinutes(-49));
        var retrying = await App.AddSignUpAtAsync("acme", now.AddMinutes(-40), shopper: new Shopper("Ravi", "Jansen", "ravi@example.com", null, null, null));
        await App.PushFailedAsync("acme", retrying, connection, "429 Too Many Requests", now.AddMinutes(-39), nextAttemptAt: now.AddMinutes(10), attempt: 2);
        failed = await App.AddSignUpAtAsync("acme", now.AddMinutes(-30), smsConsent: true, shopper: new Shopper("Femke", "Smit", "femke@example.com", "+31612345678", null, null));
        await App.PushFailedAsync("acme", failed, connection, "503 Service Unavailable", now.AddMinutes(-29), nextAttemptAt: now.AddMinutes(-25), attempt: 1);
        await App.PushFailedAsync("acme", failed, connection, "422 Unprocessable Entity: property 'shoe_size' does not exist", now.AddMinutes(-20), attempt: 2);
        await App.AddSignUpAtAsync("acme", now.AddMinutes(-5), shopper: new Shopper("Willem", "Bakker", "willem@example.com", null, null, null));
        await App.AddSignUpAtAsync("fresh", now.AddMinutes(-5), shopper: new Shopper("Noor", "Visser", "noor@example.com", null, null, null));

        // A HubSpot store: one refusal stored in parts (worded in the reader's language), one contact HubSpot has opted out of email.
        await App.AddStoreAsync("bolt", "Bolt Bikes");
        await App.AddMemberAsync("bolt", "manager@bolt.test", TeamRole.Manager);
        var hubSpot = await App.ConnectCrmAsync("bolt", kind: "hubspot");
        refusedByHubSpot = await App.AddSignUpAtAsync("bolt", now.AddMinutes(-30), shopper: new Shopper("Joris", "Mulder", "joris@example.com", null, null, null));
        await App.PushFailedAsync("bolt", refusedByHubSpot, hubSpot, new CrmProblem(CrmProblems.Answered, "hubspot", Status: 400, StatusPhrase: "Bad Request", CrmText: "Property values were not valid: shoe_size"), now.AddMinutes(-29));
        optedOut = await App.AddSignUpAtAsync("bolt", now.AddMinutes(-20), emailConsent: true, shopper: new Shopper("Sanne", "Kok", "sanne@example.com", null, null, null));
        await App.PushedAsync("bolt", optedOut, hubSpot, "hs-51234", now.AddMinutes(-19), crm: "hubspot", emailOptedOut: true);
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
    public async Task The_list_shows_each_push_status_in_words_and_filters_the_failed_ones()
    {
        foreach (var screen in Screens)
        {
            var page = await SignedInAsync("acme", "manager@acme.test", screen);
            await GoAsync(page, App.StoreUrl("acme", "/admin/signups"));
            await Expect(page.Locator("td[data-push=pushed] .badge")).ToHaveTextAsync("Pushed");
            await Expect(page.Locator("td[data-push=retrying] .badge")).ToHaveTextAsync("Retrying");
            await Expect(page.Locator("td[data-push=failed] .badge")).ToHaveTextAsync("Failed");
            await Expect(page.Locator("td[data-push=waiting] .badge")).ToHaveTextAsync("Waiting");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry all failed" })).ToBeVisibleAsync();
            await ScreenshotAsync(page, $"crm-signups-list-{screen.Name}-en");

            await page.GetByLabel("CRM push").SelectOptionAsync("failed");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
            page.Url.ShouldContain("push=failed");
            await FitsAsync(page, screen);
        }

        var dutch = await SignedInAsync("acme", "manager@acme.test", Screen.Tablet, "nl-NL");
        await GoAsync(dutch, App.StoreUrl("acme", "/admin/signups?lang=nl"));
        await Expect(dutch.Locator("td[data-push=failed] .badge")).ToHaveTextAsync("Mislukt");
        await ScreenshotAsync(dutch, "crm-signups-list-tablet-nl");
        await GoAsync(dutch, App.StoreUrl("acme", "/admin/signups?lang=nl&push=failed"));
        await ScreenshotAsync(dutch, "crm-signups-list-failed-tablet-nl");
    }

    [Fact]
    public async Task A_failed_sign_up_shows_each_attempt_with_the_crms_reason_and_a_manager_retries_it()
    {
        foreach (var (screen, locale, lang) in new[] { (Screen.Desktop, "nl-NL", "nl"), (Screen.Tablet, "nl-NL", "nl") })
        {
            var dutch = await SignedInAsync("acme", "manager@acme.test", screen, locale);
            await GoAsync(dutch, App.StoreUrl("acme", $"/admin/signups/{failed}?lang={lang}"));
            await Expect(dutch.GetByRole(AriaRole.Button, new() { Name = "Levering opnieuw proberen" })).ToBeVisibleAsync();
            await ScreenshotAsync(dutch, $"crm-signup-detail-failed-{screen.Name}-nl");
        }

        var staff = await SignedInAsync("acme", "staff@acme.test", Screen.Tablet);
        await GoAsync(staff, App.StoreUrl("acme", $"/admin/signups/{failed}"));
        await Expect(staff.GetByText("property 'shoe_size' does not exist").First).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Retry push" })).ToHaveCountAsync(0);

        foreach (var screen in Screens)
        {
            var page = await SignedInAsync("acme", "manager@acme.test", screen);
            await GoAsync(page, App.StoreUrl("acme", $"/admin/signups/{failed}"));
            if (screen == Screen.Desktop)
            {
                await Expect(page.GetByText("Push to Signed webhook failed (attempt 2)", new() { Exact = false })).ToBeVisibleAsync();
                await FitsAsync(page, screen);
                await ScreenshotAsync(page, $"crm-signup-detail-failed-{screen.Name}-en");
                await page.GetByRole(AriaRole.Button, new() { Name = "Retry push" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("The sign-up is being sent to your CRM again.");
                await Expect(page.GetByText("Queued for the CRM again by a retry")).ToBeVisibleAsync();
            }

            await FitsAsync(page, screen);
            await ScreenshotAsync(page, $"crm-signup-detail-retried-{screen.Name}-en");
        }
    }

    [Fact]
    public async Task A_crms_refusal_reads_in_the_pages_language_with_the_crms_words_as_they_came_and_an_opted_out_row_says_so()
    {
        const string Said = "Property values were not valid: shoe_size";
        const string OptedOutEn = "HubSpot has this shopper opted out of email, so the consent was not applied.";
        const string OptedOutNl = "HubSpot heeft deze klant afgemeld voor alle e-mail, dus de toestemming is daar niet toegepast.";
        foreach (var screen in Screens)
        {
            var english = await SignedInAsync("bolt", "manager@bolt.test", screen);
            await GoAsync(english, App.StoreUrl("bolt", "/admin/signups"));
            await Expect(english.Locator("td[data-push=pushed]")).ToContainTextAsync(OptedOutEn);
            await Expect(english.Locator("td[data-push=failed] .badge")).ToHaveTextAsync("Failed");
            await FitsAsync(english, screen);
            await ScreenshotAsync(english, $"crm-signups-list-optedout-{screen.Name}-en");

            await GoAsync(english, App.StoreUrl("bolt", $"/admin/signups/{refusedByHubSpot}"));
            await Expect(english.Locator("blockquote")).ToHaveTextAsync("HubSpot answered 400 Bad Request: " + Said);
            await Expect(english.GetByText("Push to HubSpot failed (attempt 1): “HubSpot answered 400 Bad Request: " + Said, new() { Exact = false })).ToBeVisibleAsync();
            await FitsAsync(english, screen);
            await ScreenshotAsync(english, $"crm-signup-detail-refused-{screen.Name}-en");

            await GoAsync(english, App.StoreUrl("bolt", $"/admin/signups/{optedOut}"));
            await Expect(english.Locator(".push-note")).ToHaveTextAsync(OptedOutEn);
            await Expect(english.GetByText("Pushed to HubSpot as record hs-51234 (attempt 1); " + OptedOutEn)).ToBeVisibleAsync();
            await ScreenshotAsync(english, $"crm-signup-detail-optedout-{screen.Name}-en");

            var dutch = await SignedInAsync("bolt", "manager@bolt.test", screen, "nl-NL");
            await GoAsync(dutch, App.StoreUrl("bolt", "/admin/signups?lang=nl"));
            await Expect(dutch.Locator("td[data-push=pushed]")).ToContainTextAsync(OptedOutNl);
            await ScreenshotAsync(dutch, $"crm-signups-list-optedout-{screen.Name}-nl");

            await GoAsync(dutch, App.StoreUrl("bolt", $"/admin/signups/{refusedByHubSpot}?lang=nl"));
            await Expect(dutch.Locator("blockquote")).ToHaveTextAsync("HubSpot antwoordde 400 Bad Request: " + Said);
            (await dutch.ContentAsync()).ShouldNotContain("HubSpot answered");
            await FitsAsync(dutch, screen);
            await ScreenshotAsync(dutch, $"crm-signup-detail-refused-{screen.Name}-nl");

            await GoAsync(dutch, App.StoreUrl("bolt", $"/admin/signups/{optedOut}?lang=nl"));
            await Expect(dutch.Locator(".push-note")).ToHaveTextAsync(OptedOutNl);
            await ScreenshotAsync(dutch, $"crm-signup-detail-optedout-{screen.Name}-nl");
        }
    }

    [Fact]
    public async Task The_dashboard_counts_the_pushes_and_a_store_without_a_crm_is_told_to_connect_one()
    {
        foreach (var screen in Screens)
        {
            var page = await SignedInAsync("acme", "manager@acme.test", screen);
            await GoAsync(page, App.StoreUrl("acme", "/admin"));
            await Expect(page.Locator("[data-stat=crm-pushed-today]")).ToHaveTextAsync("1");
            await Expect(page.Locator("[data-stat=crm-retrying]")).ToHaveTextAsync("1");
            await FitsAsync(page, screen);
            await page.Locator("[data-slot=crm-health]").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, $"crm-dashboard-{screen.Name}-en");

            var fresh = await SignedInAsync("fresh", "owner@fresh.test", screen, "nl-NL");
            await GoAsync(fresh, App.StoreUrl("fresh", "/admin?lang=nl"));
            await Expect(fresh.Locator("[data-slot=crm-health]").GetByRole(AriaRole.Link, new() { Name = "Koppel je CRM" })).ToHaveAttributeAsync("href", "/admin/crm");
            await Expect(fresh.Locator("[data-stat=crm-waiting]")).ToHaveTextAsync("1");
            await FitsAsync(fresh, screen);
            await ScreenshotAsync(fresh, $"crm-dashboard-not-connected-{screen.Name}-nl");
        }

        var dutch = await SignedInAsync("acme", "manager@acme.test", Screen.Desktop, "nl-NL");
        await GoAsync(dutch, App.StoreUrl("acme", "/admin?lang=nl"));
        await ScreenshotAsync(dutch, "crm-dashboard-desktop-nl");
    }
}
