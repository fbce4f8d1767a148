using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// The form builder as a Manager uses it: a new choice question and a required phone show in the
/// live preview, are published, and the kiosk on a tablet asks them; the answer a shopper gives is on
/// the sign-up's detail page.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class FormBuilderTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Manager = "manager@acme.test";

    /// <summary>A tablet a little larger than the portrait one: the size the preview shows the kiosk at.</summary>
    private static readonly Screen Tablet = new("tablet-820", 820, 1180, IsTouch: true);

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    [Fact]
    public async Task A_manager_adds_a_choice_question_and_requires_the_phone_and_the_kiosk_asks_both_and_keeps_the_answer()
    {
        var admin = await OpenAsync(App.StoreUrl("acme", "/admin/signin"), Screen.Desktop);
        await admin.GetByLabel("Email").FillAsync(Manager);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-up form" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Sign-up form", Level = 1 })).ToBeVisibleAsync();

        // A question of one choice with three options, and the phone required.
        await admin.GetByRole(AriaRole.Button, new() { Name = "+ Add a question" }).ClickAsync();
        await admin.GetByLabel("Question in English").FillAsync("Which shoes do you wear most?");
        await admin.GetByLabel("Question in Dutch").FillAsync("Welke schoenen draag je het meest?");
        await admin.GetByLabel("Kind of answer").SelectOptionAsync("SingleChoice");
        string[][] options = [["Sneakers", "Sneakers"], ["Boots", "Laarzen"], ["Sandals", "Sandalen"]];
        for (var i = 0; i < options.Length; i++)
        {
            await admin.GetByLabel($"Option {i + 1} in English").FillAsync(options[i][0]);
            await admin.GetByLabel($"Option {i + 1} in Dutch").FillAsync(options[i][1]);
        }

        await admin.GetByLabel("Phone number", new() { Exact = true }).SelectOptionAsync("Required");

        // The live preview shows the draft: the question and a required phone.
        var preview = admin.FrameLocator("#preview");
        await Expect(preview.GetByText("Which shoes do you wear most?")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(preview.GetByLabel("Boots")).ToBeVisibleAsync();
        await Expect(preview.Locator("#phone")).ToHaveAttributeAsync("required", "required");
        await Expect(preview.Locator("#signup .submit")).ToBeDisabledAsync();
        await ScreenshotAsync(admin, "form-builder-desktop-en");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Nederlands" }).First.ClickAsync();
        await Expect(admin.FrameLocator("#preview").GetByText("Welke schoenen draag je het meest?")).ToBeVisibleAsync();

        // Publishing makes it the kiosk's.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Publish" }).First.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Version 1 is live on the kiosk.");

        foreach (var (screen, language) in new[] { (Screen.Desktop, "nl"), (Tablet, "en"), (Tablet, "nl") })
        {
            await admin.SetViewportSizeAsync(screen.Width, screen.Height);
            await GoAsync(admin, App.StoreUrl("acme", $"/admin/form?lang={language}&preview={language}"));
            await Expect(admin.FrameLocator("#preview").Locator("#signup")).ToBeVisibleAsync();
            await ScreenshotAsync(admin, $"form-builder-{screen.Name}-{language}");
        }

        await admin.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);
        await GoAsync(admin, App.StoreUrl("acme", "/admin/form"));

        // The kiosk on a tablet asks the question and will not take a sign-up without a phone.
        var tablet = await OpenAsync(App.StoreUrl("acme", "/"), Tablet);
        await Expect(tablet.GetByText("Which shoes do you wear most?")).ToBeVisibleAsync();
        await tablet.Locator("#first-name").FillAsync("Ann");
        await tablet.Locator("#last-name").FillAsync("Boot");
        await tablet.Locator("#email").FillAsync("ann.boot@example.com");
        await tablet.GetByLabel("Boots").CheckAsync();
        await tablet.Locator("#signup .submit").ClickAsync();
        await Expect(tablet.Locator("#phone")).ToHaveAttributeAsync("aria-invalid", "true");
        await ScreenshotAsync(tablet, "form-builder-kiosk-tablet-phone-required");
        await tablet.Locator("#phone").FillAsync("06 12345678");
        await tablet.Locator("#signup .submit").ClickAsync();
        await Expect(tablet.Locator(".thanks")).ToBeVisibleAsync();

        // The sign-up's detail page shows the answer.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-ups" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Ann Boot" }).ClickAsync();
        await Expect(admin.Locator("main")).ToContainTextAsync("Which shoes do you wear most?");
        await Expect(admin.Locator("main")).ToContainTextAsync("Boots");
        await ScreenshotAsync(admin, "form-builder-signup-detail");
    }
}
