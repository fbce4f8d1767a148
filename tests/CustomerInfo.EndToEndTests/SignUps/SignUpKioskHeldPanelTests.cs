using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants.ReactivateTenant;
using CustomerInfo.Application.Tenants.SuspendTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;

namespace CustomerInfo.EndToEndTests.SignUps;

/// <summary>
/// The tablet's panel of held sign-ups: the staff PIN, consents a correction cannot add, expiry, and
/// answers the server gives a sign-up it cannot take (400, 413) or not now (403, a closed store).
/// </summary>
public partial class SignUpKioskTests
{
    /// <summary>A sign-up whose phone libphonenumber refuses, sent offline and refused once the tablet is back online.</summary>
    private async Task<IPage> HeldSignUpAsync(string store = "demo", bool smsConsent = false, bool clock = false, string language = "en")
    {
        var page = await NewPageAsync(Screen.Tablet);
        if (clock)
        {
            await page.Clock.InstallAsync();
        }

        await GoAsync(page, App.StoreUrl(store, $"/?lang={language}"));
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await page.Context.SetOfflineAsync(true);
        await page.Locator("#first-name").FillAsync("Held");
        await page.Locator("#last-name").FillAsync("de Vries");
        await page.Locator("#email").FillAsync("held@example.com");
        await page.Locator("#phone").FillAsync("06 1234 567");
        await page.Locator("#email-consent").CheckAsync();
        if (smsConsent)
        {
            await page.Locator("#sms-consent").CheckAsync();
        }

        await page.Locator("#signup .submit").ClickAsync();
        await page.Locator(".thanks a.button").ClickAsync();
        await Expect(page.Locator("#first-name")).ToHaveValueAsync("");
        await BackOnlineAsync(page);
        await Expect(page.Locator("#queue.has-held")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Waits until the one queued sign-up has been tried <paramref name="tries"/> times (the store answered 403).</summary>
    private static async Task TriesEventuallyAsync(IPage page, int tries)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (await page.EvaluateAsync<int>("kioskQueue.withStore('readonly', s => s.getAll()).then(a => a[0] && a[0].tries || 0)") >= tries)
                {
                    return;
                }
            }
            catch (PlaywrightException)
            {
                // The thank-you went back to the form meanwhile: ask the new page.
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"the queued sign-up was not tried {tries} times");
    }

    private static ILocator Panel(IPage page) => page.GetByRole(AriaRole.Dialog, new() { Name = "Sign-ups on this tablet" });

    [Fact]
    public async Task The_panel_shows_held_sign_ups_only_after_the_staff_pin_refuses_a_wrong_one_and_locks_again_when_closed()
    {
        var page = await HeldSignUpAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();
        var panel = Panel(page);
        await Expect(panel).ToContainTextAsync("1 sign-up needs checking.");
        await Expect(panel.GetByLabel("Staff PIN")).ToBeFocusedAsync();
        (await page.ContentAsync()).ShouldNotContain("held@example.com");
        await ScreenshotAsync(page, "signup-pin-prompt-tablet", fullPage: false);

        await panel.GetByRole(AriaRole.Button, new() { Name = "Show sign-ups" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Enter the staff PIN.");

        await panel.GetByLabel("Staff PIN").FillAsync("4828");
        await panel.GetByLabel("Staff PIN").PressAsync("Enter");
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That PIN is not right.");
        await Expect(panel.GetByLabel("Staff PIN")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(panel.GetByLabel("Staff PIN")).ToHaveValueAsync("");
        await ScreenshotAsync(page, "signup-pin-wrong-tablet", fullPage: false);
        (await page.ContentAsync()).ShouldNotContain("held@example.com");

        await panel.GetByLabel("Staff PIN").FillAsync(StaffPin);
        await panel.GetByLabel("Staff PIN").PressAsync("Enter");
        await Expect(panel).ToContainTextAsync("held@example.com · 06 1234 567");
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" })).ToBeFocusedAsync();
        await ScreenshotAsync(page, "signup-pin-unlocked-tablet", fullPage: false);

        await page.Keyboard.PressAsync("Escape");
        await Expect(panel).ToBeHiddenAsync();
        // The dialog's close event, which empties the list, comes a moment after it is hidden.
        (await Eventually.HoldsAsync(async () => await page.ContentAsync(), html => !html.Contains("held@example.com", StringComparison.OrdinalIgnoreCase))).ShouldBeTrue();
        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();
        await Expect(panel.GetByLabel("Staff PIN")).ToBeVisibleAsync();
        await Expect(panel).Not.ToContainTextAsync("held@example.com");
    }

    [Fact]
    public async Task Five_wrong_pins_lock_the_panel_for_five_minutes_also_after_a_reload_and_an_unlocked_panel_left_alone_locks_itself()
    {
        var page = await HeldSignUpAsync(clock: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();
        var pin = Panel(page).GetByLabel("Staff PIN");
        for (var i = 0; i < 5; i++)
        {
            await pin.FillAsync("1111");
            await pin.PressAsync("Enter");
            await Expect(pin).ToHaveValueAsync("");
        }

        await Expect(Panel(page).GetByRole(AriaRole.Alert)).ToHaveTextAsync("Too many wrong PINs. Try again in 5 minutes.");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();
        await Expect(Panel(page).GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many wrong PINs.");
        await pin.FillAsync(StaffPin);
        await pin.PressAsync("Enter");
        await Expect(Panel(page).GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many wrong PINs.");
        await Expect(Panel(page)).Not.ToContainTextAsync("held@example.com");

        await page.Clock.FastForwardAsync("05:01");
        await pin.FillAsync(StaffPin);
        await pin.PressAsync("Enter");
        await Expect(Panel(page)).ToContainTextAsync("held@example.com");

        // Left open and alone for longer than the form's idle time, the panel closes and locks.
        await page.Clock.FastForwardAsync("10:00");
        await Expect(Panel(page)).ToBeHiddenAsync();
        // As above: the close event empties the list a moment after the dialog is hidden (the gate once read the page in between).
        (await Eventually.HoldsAsync(async () => await page.ContentAsync(), html => !html.Contains("held@example.com", StringComparison.OrdinalIgnoreCase))).ShouldBeTrue();
    }

    [Fact]
    public async Task A_store_without_a_staff_pin_shows_only_the_counts_and_says_a_pin_must_be_set()
    {
        await App.AddStoreAsync("nopin", "Demo Store");
        await App.SendAsync("nopin", new PublishFormDefinitionCommand(DemoForm.Definition with { ThankYouSeconds = 3 }));
        var page = await HeldSignUpAsync("nopin");

        await page.GetByRole(AriaRole.Button, new() { Name = "1 sign-up needs checking" }).ClickAsync();

        await Expect(Panel(page)).ToContainTextAsync("A staff PIN must be set for this store");
        await Expect(Panel(page)).ToContainTextAsync("1 sign-up needs checking.");
        await Expect(Panel(page).GetByLabel("Staff PIN")).ToBeHiddenAsync();
        await Expect(Panel(page).GetByRole(AriaRole.Button, new() { Name = "Open and correct" })).ToHaveCountAsync(0); // not hidden: not there
        (await page.ContentAsync()).ShouldNotContain("held@example.com");
        await ScreenshotAsync(page, "signup-pin-not-set-tablet", fullPage: false);
    }

    [Fact]
    public async Task A_held_sign_up_opens_only_through_the_panel_not_from_its_address()
    {
        var page = await HeldSignUpAsync();
        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" }).ClickAsync();
        await Field(page, "First name").ToHaveValueAsync("Held");
        var address = page.Url;

        // Another tab of the same browser, and this tab once it showed another page: nothing opens.
        var other = await page.Context.NewPageAsync();
        await GoAsync(other, new Uri(address));
        await Expect(other).ToHaveURLAsync(App.StoreUrl("demo", "/?lang=en").ToString());
        await Field(other, "First name").ToHaveValueAsync("");
        await GoAsync(page, App.StoreUrl("demo"));
        await GoAsync(page, new Uri(address));
        await Expect(page).ToHaveURLAsync(App.StoreUrl("demo", "/?lang=en").ToString());
        await Field(page, "First name").ToHaveValueAsync("");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This sign-up needs checking" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_correction_can_withdraw_a_consent_the_shopper_gave_but_never_give_one()
    {
        var page = await HeldSignUpAsync();
        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" }).ClickAsync();

        var email = page.GetByLabel("Yes, Demo Store may email me");
        var sms = page.GetByLabel("Yes, Demo Store may text me");
        await Expect(email).ToBeCheckedAsync();
        await Expect(email).ToBeEnabledAsync();
        await Expect(sms).Not.ToBeCheckedAsync();
        await Expect(sms).ToBeDisabledAsync();
        await Expect(page.GetByText("A consent the shopper did not tick is greyed out")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signup-held-opened-consents-tablet");

        // A tap on the greyed-out consent's text changes nothing.
        await page.GetByText("may text me offers").ClickAsync(new() { Force = true });
        await Expect(sms).Not.ToBeCheckedAsync();

        await email.UncheckAsync();
        await page.GetByLabel("Mobile number").FillAsync("06 12345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");

        var stored = (await StoredEventuallyAsync(1)).ShouldHaveSingleItem();
        stored.Email.ShouldBe("held@example.com");
        stored.EmailConsent.ShouldBeFalse();
        stored.SmsConsent.ShouldBeFalse();
    }

    [Fact]
    public async Task After_the_form_changed_a_held_sign_up_carries_no_consent_and_none_can_be_given()
    {
        var page = await HeldSignUpAsync(smsConsent: true);
        await App.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.Definition with { ThankYouSeconds = 3 }));

        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Open and correct" }).ClickAsync();

        await Expect(page.GetByText("The form has changed since this sign-up was made")).ToBeVisibleAsync();
        await Expect(page.GetByText("A consent the shopper did not tick is greyed out")).ToBeHiddenAsync();
        foreach (var consent in new[] { "Yes, Demo Store may email me", "Yes, Demo Store may text me" })
        {
            await Expect(page.GetByLabel(consent)).Not.ToBeCheckedAsync();
            await Expect(page.GetByLabel(consent)).ToBeDisabledAsync();
        }

        await page.GetByLabel("Mobile number").FillAsync("06 12345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        var stored = (await StoredEventuallyAsync(1)).ShouldHaveSingleItem();
        stored.EmailConsent.ShouldBeFalse();
        stored.SmsConsent.ShouldBeFalse();
    }

    [Fact]
    public async Task The_pin_prompt_the_panel_and_a_reopened_sign_up_in_dutch()
    {
        var page = await HeldSignUpAsync(language: "nl");
        await GoAsync(page, App.StoreUrl("demo", "/?lang=nl")); // the thank-you kept offline was the English one

        await page.GetByRole(AriaRole.Button, new() { Name = "1 aanmelding moet worden nagekeken" }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog, new() { Name = "Aanmeldingen op deze tablet" });
        await panel.GetByLabel("Pincode personeel").FillAsync("0001");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Aanmeldingen tonen" }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Die pincode klopt niet.");
        await ScreenshotAsync(page, "signup-pin-prompt-dutch-tablet", fullPage: false);

        await panel.GetByLabel("Pincode personeel").FillAsync(StaffPin);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Aanmeldingen tonen" }).ClickAsync();
        await Expect(panel).ToContainTextAsync("held@example.com");
        await ScreenshotAsync(page, "signup-pin-unlocked-dutch-tablet", fullPage: false);

        await panel.GetByRole(AriaRole.Button, new() { Name = "Openen en verbeteren" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deze aanmelding moet worden nagekeken" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Een toestemming die de klant niet aanvinkte, is grijs")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signup-held-opened-dutch-tablet");
    }

    [Fact]
    public async Task A_sign_up_left_on_the_tablet_longer_than_the_expiry_is_deleted_and_only_counted()
    {
        var page = await NewPageAsync(Screen.Tablet);
        await page.Clock.InstallAsync();
        await GoAsync(page, App.StoreUrl("demo"));
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await page.Context.SetOfflineAsync(true);
        await SignUpOfflineAsync(page, "Old", "old@example.com");
        await Badge(page).ToHaveTextAsync("1 sign-up waiting to send");

        await page.Clock.FastForwardAsync((long)TimeSpan.FromHours(169).TotalMilliseconds); // seven days and an hour: the 30-second round comes

        await Badge(page).ToHaveTextAsync("1 sign-up expired");
        (await page.EvaluateAsync<int>("kioskQueue.withStore('readonly', s => s.count())")).ShouldBe(0);
        await page.Context.SetOfflineAsync(false);
        await page.ReloadAsync();
        await Badge(page).ToHaveTextAsync("1 sign-up expired");

        var panel = await UnlockAsync(page, "1 sign-up expired");
        await Expect(panel).ToContainTextAsync("1 sign-up stayed on this tablet longer than 7 days and was deleted.");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Clear this count" }).ClickAsync();
        await Expect(panel).ToBeHiddenAsync();
        await Badge(page).ToBeHiddenAsync();
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sign_up_too_large_for_the_server_is_held_and_the_shopper_sees_the_thank_you()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await FillAsync(page, "Large", "large@example.com");
        // More than the 64 KB the server takes: only a tampered or broken page sends this much.
        await page.EvalOnSelectorAsync("#last-name", "e => { e.removeAttribute('maxlength'); e.value = 'x'.repeat(70000); }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await Badge(page).ToHaveTextAsync("1 sign-up needs checking");
        var panel = await UnlockAsync(page, "1 sign-up needs checking");
        await Expect(panel).ToContainTextAsync("Too large to send");
        (await StoredAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sign_ups_the_server_cannot_read_or_take_in_the_queue_are_held_not_sent_again()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        var requests = 0;
        page.Request += (_, request) => requests += request.Method == "POST" ? 1 : 0;

        // As if kept by an older page: more form values than the server reads (400) and a body over its limit (413).
        await page.EvaluateAsync(
            """
            url => kioskQueue.withStore('readwrite', s => {
              const fields = new URLSearchParams({ 'Command.SubmissionId': crypto.randomUUID(), 'Command.FirstName': 'Unreadable', 'Command.Language': 'en' });
              for (let i = 0; i < 1100; i++) fields.append('x' + i, '1');
              s.put({ id: fields.get('Command.SubmissionId'), url, body: fields.toString(), queuedAt: Date.now() });
              const large = new URLSearchParams({ 'Command.SubmissionId': crypto.randomUUID(), 'Command.FirstName': 'Large', 'Command.LastName': 'x'.repeat(70000), 'Command.Language': 'en' });
              s.put({ id: large.get('Command.SubmissionId'), url, body: large.toString(), queuedAt: Date.now() });
            })
            """,
            App.StoreUrl("demo").ToString());
        await SendQueueAsync(page);

        await Badge(page).ToHaveTextAsync("2 sign-ups need checking");
        requests.ShouldBe(2);
        await SendQueueAsync(page);
        requests.ShouldBe(2);

        var panel = await UnlockAsync(page, "2 sign-ups need checking");
        await Expect(panel).ToContainTextAsync("The server could not read this sign-up.");
        await Expect(panel).ToContainTextAsync("Too large to send");
    }

    [Fact]
    public async Task A_sign_up_sent_with_a_stale_token_is_kept_and_sent_again_with_a_fresh_one()
    {
        var page = await OpenAsync(App.StoreUrl("demo"), Screen.Tablet);
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await FillAsync(page, "Stale", "stale@example.com");
        await page.EvalOnSelectorAsync("[name=__RequestVerificationToken]", "e => { e.value = 'from-a-page-kept-offline'; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        (await StoredEventuallyAsync(1)).ShouldHaveSingleItem().Email.ShouldBe("stale@example.com");
        await Badge(page).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_sign_up_made_while_the_store_is_closed_stays_on_the_tablet_and_is_stored_once_the_store_opens()
    {
        var page = await NewPageAsync(Screen.Tablet);
        await page.Clock.InstallAsync();
        await GoAsync(page, App.StoreUrl("demo"));
        await Expect(page.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);
        await App.SendAsync(new SuspendTenantCommand(demo));

        await FillAsync(page, "Closed", "closed@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await Badge(page).ToHaveTextAsync("1 sign-up waiting to send");
        await page.Clock.FastForwardAsync("02:00"); // the first retry, still closed: the next waits longer
        await TriesEventuallyAsync(page, 2);
        (await StoredAsync()).ShouldBeEmpty();

        await App.SendAsync(new ReactivateTenantCommand(demo));
        await GoAsync(page, App.StoreUrl("demo"));
        await page.Clock.FastForwardAsync("01:05:00");

        var stored = (await StoredEventuallyAsync(1)).ShouldHaveSingleItem();
        stored.Email.ShouldBe("closed@example.com");
        await Badge(page).ToBeHiddenAsync();
    }
}
