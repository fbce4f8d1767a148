using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 12's connection settings as a Manager does it: connect the signed webhook to a receiver,
/// copy the secret shown once into the receiver, press "Test connection", and the receiver gets a
/// ping whose signature its own check accepts.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class CrmConnectionTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "manager@acme.test";

    private static readonly Screen Counter = new("tablet-820", 820, 1180, IsTouch: true);

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    private Task<IPage> SignInAsync(Screen screen) => SignInAsync(App.StoreUrl("acme", "/admin/signin"), Manager, screen);

    [Fact]
    public async Task A_manager_connects_a_webhook_copies_the_secret_shown_once_and_the_test_reaches_the_receiver_signed()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        var admin = await SignInAsync(Screen.Desktop);
        await admin.GetByRole(AriaRole.Link, new() { Name = "CRM", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "CRM connection", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "No CRM connected" })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "crm-not-connected-desktop");

        // A typo first: refused beside the field.
        await admin.GetByLabel("Your receiver's address").FillAsync("hooks.example.com/catch");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(admin.Locator("#setting-url-error")).ToHaveTextAsync("Enter a full web address, like https://example.com/hook.");
        await Expect(admin.GetByLabel("Your receiver's address")).ToHaveAttributeAsync("aria-invalid", "true");

        await admin.GetByLabel("Your receiver's address").FillAsync(receiver.Url);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Signed webhook is connected.");
        await Expect(admin.GetByText("Store it now: it won't be shown again.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        var secret = await admin.GetByLabel("Signing secret", new() { Exact = true }).InputValueAsync();
        secret.ShouldStartWith("whsec_");
        await ScreenshotAsync(admin, "crm-secret-once-desktop");

        // The receiver gets the secret; the test is a signed ping that the receiver's own check accepts.
        receiver.Secret = secret;
        await admin.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("The test passed: Signed webhook accepted our call.");
        var ping = receiver.Deliveries.ShouldHaveSingleItem();
        ping.Type.ShouldBe("ping");
        FakeWebhookReceiver.Verify(secret, ping.Id, ping.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), receiver.Requests[^1].Header("webhook-signature")!, receiver.Requests[^1].Body).ShouldBeNull();

        // Never shown again.
        (await admin.ContentAsync()).ShouldNotContain(secret[6..]);
        await Expect(admin.Locator("dd", new() { HasText = "stored, ends in …" + secret[^4..] })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "crm-connected-desktop");
    }

    [Fact]
    public async Task The_crm_page_reads_well_on_desktop_and_tablet_in_english_and_dutch()
    {
        await using var receiver = await FakeWebhookReceiver.StartNewAsync();
        foreach (var screen in new[] { Screen.Desktop, Counter })
        {
            var admin = await SignInAsync(screen);
            await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
            if (screen == Screen.Desktop)
            {
                await admin.GetByLabel("Your receiver's address").FillAsync(receiver.Url);
                await admin.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
                await ScreenshotAsync(admin, $"crm-secret-en-{screen.Name}");
                await GoAsync(admin, App.StoreUrl("acme", "/admin/crm"));
            }

            await ScreenshotAsync(admin, $"crm-en-{screen.Name}");
            await GoAsync(admin, App.StoreUrl("acme", "/admin/crm?lang=nl"));
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "CRM-koppeling", Level = 1 })).ToBeVisibleAsync();
            await admin.GetByRole(AriaRole.Button, new() { Name = "Ontkoppelen" }).ClickAsync();
            await Expect(admin.Locator("#confirm-error")).ToHaveTextAsync("Vink het vakje aan om te bevestigen dat je wilt ontkoppelen.");
            await ScreenshotAsync(admin, $"crm-nl-{screen.Name}");
        }
    }
}
