using System.Diagnostics;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.EndToEndTests.SignUps;

/// <summary>A shopper at the demo store's tablet, in a real Chromium: sign up, errors, typo hint, idle reset, offline.</summary>
[Collection(SharedBrowser.Collection)]
public partial class SignUpKioskTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string StaffPin = "4829";

    private Guid demo;

    protected override async Task ArrangeAsync()
    {
        demo = await App.AddStoreAsync("demo", "Demo Store");
        await App.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition with { ThankYouSeconds = 3 }));
        await App.SendAsync(new SetStaffPinCommand(demo, StaffPin));
    }

    private async Task<IReadOnlyList<SignUpSummary>> StoredAsync() => (await App.SendAsync("demo", new ListSignUpsQuery())).Items;

    /// <summary>Polls the database (the browser sends in the background) until <paramref name="count"/> sign-ups are stored.</summary>
    private async Task<IReadOnlyList<SignUpSummary>> StoredEventuallyAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stored = await StoredAsync();
            if (stored.Count >= count || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return stored;
            }

            await Task.Delay(100);
        }
    }

    private static async Task FillAsync(IPage page, string firstName, string email)
    {
        await page.GetByLabel("First name").FillAsync(firstName);
        await page.GetByLabel("Last name").FillAsync("de Vries");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Yes, Demo Store may email me").CheckAsync();
    }

    private static ILocatorAssertions Field(IPage page, string label) => Expect(page.GetByLabel(label));

    /// <summary>
    /// Back online, the kiosk sends its queue on the 'online' event. This asks for the same round and
    /// waits until it has finished (a round already running, such as the last offline try, is followed
    /// by this one), so the test waits on the queue itself, not on a timer.
    /// </summary>
    private static async Task BackOnlineAsync(IPage page)
    {
        await page.Context.SetOfflineAsync(false);
        await SendQueueAsync(page);
    }

    /// <summary>Runs one round of the kiosk's queue, as 'online' and its 30-second timer do, and waits for it to end.</summary>
    private static async Task SendQueueAsync(IPage page) => await page.EvaluateAsync("kioskQueue.send()");

    [Fact]
    public async Task A_shopper_signs_up_sees_the_thank_you_and_the_form_comes_back_empty()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await FillAsync(page, "Ann", "ann@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await ScreenshotAsync(page, "signup-thank-you-tablet");
        await Expect(page).ToHaveURLAsync(new Regex(@"/\?lang=en$"));
        await Field(page, "First name").ToHaveValueAsync("");
        await Field(page, "Email address").ToHaveValueAsync("");
        var stored = (await StoredAsync()).ShouldHaveSingleItem();
        stored.Email.ShouldBe("ann@example.com");

        await page.GoBackAsync();
        await Expect(page.Locator("input[value=Ann]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Errors_show_beside_their_fields_with_focus_on_the_first_and_what_was_typed_stays()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByText("Enter your first name.")).ToBeVisibleAsync();
        await Field(page, "First name").ToBeFocusedAsync();
        await Field(page, "First name").ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("First name").FillAsync("Ann");
        await page.GetByLabel("Email address").FillAsync("ann@example.com");
        await page.GetByLabel("Mobile number").FillAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Expect(page.GetByText("Enter a phone number we can reach")).ToBeVisibleAsync();
        await Field(page, "Mobile number").ToBeFocusedAsync();
        await Field(page, "Mobile number").ToHaveAttributeAsync("aria-describedby", "phone-error");
        await Field(page, "First name").ToHaveValueAsync("Ann");
        await ScreenshotAsync(page, "signup-errors-tablet");
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_mistyped_email_domain_gets_a_suggestion_that_one_tap_accepts()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Phone);
        await FillAsync(page, "Bo", "bo@gmial.con");
        await page.GetByLabel("Email address").BlurAsync();

        var suggestion = page.GetByRole(AriaRole.Button, new() { Name = "Did you mean bo@gmail.com?" });
        await suggestion.ClickAsync();

        await Field(page, "Email address").ToHaveValueAsync("bo@gmail.com");
        await Expect(suggestion).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        (await StoredAsync()).ShouldHaveSingleItem().Email.ShouldBe("bo@gmail.com");
    }

    [Fact]
    public async Task A_half_filled_form_left_alone_warns_then_clears_itself()
    {
        // Real time, not a fake clock: the shortest idle time a store can set (15 s) warns after 10 s.
        await App.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 15 }));
        var page = await NewPageAsync(Screen.Tablet);
        await GoAsync(page, App.StoreUrl("demo"));
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await page.GetByLabel("First name").FillAsync("Left behind");

        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("this form clears itself in")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signup-idle-warning-tablet");

        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Field(page, "First name").ToHaveValueAsync("", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task Sign_ups_made_offline_survive_a_reload_and_are_stored_exactly_once_when_back_online()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        var filledBefore = DateTimeOffset.UtcNow;

        await page.Context.SetOfflineAsync(true);
        foreach (var name in new[] { "Offline One", "Offline Two", "Offline Three" })
        {
            await FillAsync(page, name, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
            await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
            await Field(page, "First name").ToHaveValueAsync("");
        }

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("3 sign-ups waiting to send");
        await ScreenshotAsync(page, "signup-offline-waiting-tablet");
        (await StoredAsync()).ShouldBeEmpty();

        await BackOnlineAsync(page);
        await Expect(page.GetByRole(AriaRole.Status)).ToBeHiddenAsync();
        var stored = await StoredEventuallyAsync(3);
        stored.Select(s => s.Email).Order().ShouldBe(["offline.one@example.com", "offline.three@example.com", "offline.two@example.com"]);
        stored.ShouldAllBe(s => s.FilledAt >= filledBefore.AddSeconds(-1) && s.FilledAt < s.ReceivedAt);

        await page.ReloadAsync();
        (await StoredAsync()).Count.ShouldBe(3);
    }

    /// <summary>Sends one sign-up while offline: the service worker keeps it and the shopper sees the thank-you.</summary>
    private static async Task SignUpOfflineAsync(IPage page, string firstName, string email, string? phone = null, string? interest = null)
    {
        await FillAsync(page, firstName, email);
        if (phone is not null)
        {
            await page.GetByLabel("Mobile number").FillAsync(phone);
        }

        if (interest is not null)
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = interest }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Done" }).ClickAsync();
        await Field(page, "First name").ToHaveValueAsync("");
    }

    private static ILocatorAssertions Badge(IPage page) => Expect(page.GetByRole(AriaRole.Status));

    /// <summary>Taps the badge, gives the staff PIN and returns the opened panel.</summary>
    private static async Task<ILocator> UnlockAsync(IPage page, string badge, string pin = StaffPin)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = badge }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Sign-ups on this tablet" });
        await Expect(panel).ToBeVisibleAsync();
        await panel.GetByLabel("Staff PIN").FillAsync(pin);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Show sign-ups" }).ClickAsync();
        await Expect(panel.GetByLabel("Staff PIN")).ToBeHiddenAsync();
        return panel;
    }

    [Fact]
    public async Task A_sign_up_the_server_refuses_after_going_online_is_kept_for_staff_who_correct_it_and_it_is_stored_once()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        var filledBefore = DateTimeOffset.UtcNow;

        // "06 1234 567" passes the browser's checks (any text is a phone to it); libphonenumber finds a digit missing.
        await page.Context.SetOfflineAsync(true);
        await SignUpOfflineAsync(page, "Held", "held@example.com", phone: "06 1234 567", interest: "Kids");
        await SignUpOfflineAsync(page, "Fine", "fine@example.com");
        await Badge(page).ToHaveTextAsync("2 sign-ups waiting to send");

        await BackOnlineAsync(page);
        await Badge(page).ToHaveTextAsync("1 sign-up needs checking");
        (await StoredEventuallyAsync(1)).ShouldHaveSingleItem().Email.ShouldBe("fine@example.com");

        // Another sign-up waits offline next to the held one; both survive a reload.
        await page.Context.SetOfflineAsync(true);
        await SignUpOfflineAsync(page, "Later", "later@example.com");
        await page.ReloadAsync();
        await Badge(page).ToHaveTextAsync("1 sign-up waiting to send · 1 sign-up needs checking");
        await ScreenshotAsync(page, "signup-held-badge-tablet", fullPage: false);
        await BackOnlineAsync(page);
        await Badge(page).ToHaveTextAsync("1 sign-up needs checking");
        (await StoredEventuallyAsync(2)).Count.ShouldBe(2);

        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await Expect(panel.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Held de Vries");
        await Expect(panel).ToContainTextAsync("held@example.com · 06 1234 567");
        await Expect(panel).ToContainTextAsync("Enter a phone number we can reach");
        await ScreenshotAsync(page, "signup-held-list-tablet", fullPage: false);

        await panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This sign-up needs checking" })).ToBeVisibleAsync();
        await Field(page, "First name").ToHaveValueAsync("Held");
        await Field(page, "Email address").ToHaveValueAsync("held@example.com");
        await Expect(page.GetByLabel("Yes, Demo Store may email me")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Kids" })).ToBeCheckedAsync();
        await Field(page, "Mobile number").ToHaveValueAsync("06 1234 567");
        await Field(page, "Mobile number").ToHaveAttributeAsync("aria-invalid", "true");
        await Field(page, "Mobile number").ToBeFocusedAsync();
        await Expect(page.Locator("#phone-error")).ToContainTextAsync("Enter a phone number we can reach");
        await ScreenshotAsync(page, "signup-held-opened-tablet");

        // A reload opens the same held sign-up again: nothing typed so far is lost.
        await page.ReloadAsync();
        await Field(page, "Mobile number").ToHaveValueAsync("06 1234 567");

        await page.GetByLabel("Mobile number").FillAsync("06 12345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await Badge(page).ToBeHiddenAsync();

        var stored = await StoredEventuallyAsync(3);
        stored.Count.ShouldBe(3);
        var held = stored.Where(s => s.Email == "held@example.com").ShouldHaveSingleItem();
        held.Phone.ShouldBe("+31612345678");
        held.EmailConsent.ShouldBeTrue();
        held.FilledAt.ShouldBeInRange(filledBefore.AddSeconds(-1), stored.Single(s => s.Email == "fine@example.com").ReceivedAt);

        await page.ReloadAsync();
        await Badge(page).ToBeHiddenAsync();
        (await StoredAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_held_sign_up_is_discarded_only_after_staff_confirm()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await page.Context.SetOfflineAsync(true);
        await SignUpOfflineAsync(page, "Mistake", "mistake@example.com", phone: "12");
        await BackOnlineAsync(page);
        await Badge(page).ToHaveTextAsync("1 sign-up needs checking");

        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await Expect(panel).ToContainTextAsync("Discard this sign-up? It cannot be brought back.");
        await ScreenshotAsync(page, "signup-held-discard-question-tablet", fullPage: false);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" })).ToBeVisibleAsync();

        await panel.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Yes, discard" }).ClickAsync();
        await Expect(panel).ToBeHiddenAsync();
        await Badge(page).ToBeHiddenAsync();
        await page.ReloadAsync();
        await Badge(page).ToBeHiddenAsync();
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_form_looks_right_on_the_counter_tablet_both_ways_and_on_a_phone_in_both_languages()
    {
        var pages = await ScreenshotsAsync(App.StoreUrl("demo"), "signup-form", Screen.Tablet, Screen.TabletLandscape, Screen.Phone);
        await ScreenshotsAsync(App.StoreUrl("demo", "/?lang=nl"), "signup-form-dutch", Screen.Tablet);

        foreach (var page in pages)
        {
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(page.ViewportSize!.Width);
            var button = await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).BoundingBoxAsync();
            button.ShouldNotBeNull().Height.ShouldBeGreaterThanOrEqualTo(48);
        }
    }
}
