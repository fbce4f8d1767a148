using System.Text;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 11's "done when", tried as a new Manager would, in one go: brand the form with a logo and
/// colours, change a question, import last year's customers from a spreadsheet. The kiosk on a
/// tablet then wears the brand and asks the new question (each publish kept what the others set), and
/// the sign-up list shows the imported customers apart from the kiosk's.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class FirstDayTests(BrowserFixture browser, ImportKestrelApp app) : IClassFixture<ImportKestrelApp>, IAsyncLifetime
{
    private const string Manager = "manager@fresh.test";

    private const string LastYear =
        "First name,Last name,Email,Phone\r\n" +
        "Ada,Stone,ada.stone@example.com,06 11112222\r\n" +
        "Ben,Rivers,ben.rivers@example.com,\r\n";

    private static readonly Screen Counter = new("tablet-820", 820, 1180, IsTouch: true);

    private readonly List<string> scriptErrors = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("fresh", "Fresh Feet");
        await app.AddMemberAsync("fresh", Manager, TeamRole.Manager);
    }

    public Task DisposeAsync()
    {
        scriptErrors.ShouldBeEmpty();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_new_manager_brands_the_form_changes_a_question_and_imports_last_year_s_list_and_the_kiosk_and_the_list_show_it()
    {
        await using var context = await browser.NewContextAsync(Screen.Desktop, BrowserFixture.DefaultLocale);
        context.WebError += (_, error) => scriptErrors.Add(error.Error);
        var admin = await context.NewPageAsync();
        await admin.GotoAsync(app.StoreUrl("fresh", "/admin/signin").ToString());
        await admin.GetByLabel("Email").FillAsync(Manager);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Brand: a logo, then a green and a light background.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Branding" }).First.ClickAsync();
        await admin.GetByLabel("Logo file").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = TestImages.Png() });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload logo" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("published as version 1");
        await admin.Locator("#primary-code").FillAsync("#0b6e4f");
        await admin.Locator("#background-code").FillAsync("#f4f7f2");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save and publish" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("published as version 2");

        // A question: which shop the shopper likes best; and the phone becomes required.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-up form" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "+ Add a question" }).ClickAsync();
        await admin.GetByLabel("Question in English").FillAsync("What brings you in today?");
        await admin.GetByLabel("Question in Dutch").FillAsync("Waarvoor kom je vandaag?");
        await admin.GetByLabel("Kind of answer").SelectOptionAsync("SingleChoice");
        string[][] options = [["Running", "Hardlopen"], ["Walking", "Wandelen"]];
        for (var i = 0; i < options.Length; i++)
        {
            await admin.GetByLabel($"Option {i + 1} in English").FillAsync(options[i][0]);
            await admin.GetByLabel($"Option {i + 1} in Dutch").FillAsync(options[i][1]);
        }

        await admin.GetByRole(AriaRole.Button, new() { Name = "Publish" }).First.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Version 3 is live on the kiosk.");

        // Last year's customers.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await admin.GetByLabel("CSV file (at most 20 MB)").SetInputFilesAsync(new FilePayload { Name = "customers-2025.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(LastYear) });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Start the import" }).ClickAsync();
        await Expect(admin.Locator(".import-counts")).ToContainTextAsync("Imported2", new() { Timeout = 60_000 });

        // The kiosk on the counter wears the brand (the form builder's publish kept it) and asks the question.
        await using var counter = await browser.NewContextAsync(Counter, BrowserFixture.DefaultLocale);
        counter.WebError += (_, error) => scriptErrors.Add(error.Error);
        var tablet = await counter.NewPageAsync();
        await tablet.GotoAsync(app.StoreUrl("fresh", "/").ToString());
        await Expect(tablet.Locator(".kiosk-head img.logo")).ToBeVisibleAsync();
        (await tablet.Locator(".kiosk-head").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(11, 110, 79)");
        (await tablet.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(244, 247, 242)");
        await Expect(tablet.GetByText("What brings you in today?")).ToBeVisibleAsync();
        await tablet.Locator("#first-name").FillAsync("Cleo");
        await tablet.Locator("#email").FillAsync("cleo.walker@example.com");
        await tablet.GetByLabel("Walking").CheckAsync();
        await Screenshots.SaveAsync(tablet, "first-day-kiosk-tablet");
        await tablet.Locator("#signup .submit").ClickAsync();
        await Expect(tablet.Locator(".thanks")).ToBeVisibleAsync();

        // The list: the kiosk's sign-up and last year's customers, told apart.
        await admin.GotoAsync(app.StoreUrl("fresh", "/admin/signups").ToString());
        var rows = admin.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(admin.Locator("tbody tr .badge-imported")).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "Cleo" }).Locator(".badge-imported")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(admin, "first-day-signups-desktop");
        await admin.GotoAsync(app.StoreUrl("fresh", "/admin/signups?source=kiosk").ToString());
        await Expect(admin.Locator("tbody tr")).ToHaveCountAsync(1);
    }
}
