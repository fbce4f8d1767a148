using System.Text;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The app on a socket with its Hangfire server on, so the import job runs as the worker would run it.</summary>
public sealed class ImportKestrelApp : KestrelAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Hangfire:Server:Enabled", "true")];
}

/// <summary>
/// Issue 11's import, as a Manager would try it: last year's customer list from a Dutch spreadsheet
/// (semicolons, Dutch headers, two bad rows) is uploaded, its columns mapped by the page's guesses,
/// started; the progress reaches the end and the report names the two bad rows; the sign-up list
/// shows the imported customers tagged apart from kiosk sign-ups.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class ImportTests(BrowserFixture browser, ImportKestrelApp app) : IClassFixture<ImportKestrelApp>, IAsyncLifetime
{
    private const string Manager = "manager@acme.test";

    private const string File =
        "Voornaam;Achternaam;E-mail;Telefoon;Postcode;Geboortedatum;Toestemming e-mail;Datum toestemming e-mail;Opmerking\r\n" +
        "Jan;de Vries;jan.devries@example.com;06 12345678;1234 AB;25-12-1980;ja;01-03-2024;\"vaste klant;\r\nbelt graag\"\r\n" +
        "Marieke;Jansen;marieke@example.com;;3511 AA;1975-06-02;nee;;\r\n" +
        "Piet;Bakker;piet-at-example.com;;;;;;\r\n" +
        "Sanne;Visser;sanne@example.com;;;;ja;;\r\n" +
        "Kees;Smit;kees@example.com;;;;;;\r\n";

    private readonly List<string> scriptErrors = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Manager, TeamRole.Manager);
    }

    public Task DisposeAsync()
    {
        scriptErrors.ShouldBeEmpty();
        return Task.CompletedTask;
    }

    private async Task<IPage> SignedInAsync(IBrowserContext context)
    {
        context.WebError += (_, error) => scriptErrors.Add(error.Error);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.StoreUrl("acme", "/admin/signin").ToString());
        await page.GetByLabel("Email").FillAsync(Manager);
        await page.GetByLabel("Password").FillAsync(Members.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    private static async Task ShootAsync(IPage page, string name)
    {
        await Screenshots.SaveAsync(page, $"{name}-desktop");
        await page.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Tablet.Width, name);
        await Screenshots.SaveAsync(page, $"{name}-tablet");
        await page.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);
    }

    [Fact]
    public async Task A_manager_imports_a_dutch_spreadsheet_sees_it_finish_with_its_two_bad_rows_and_finds_the_customers_tagged_apart()
    {
        await using var context = await browser.NewContextAsync(Screen.Desktop, BrowserFixture.DefaultLocale);
        var page = await SignedInAsync(context);

        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import customers", Level = 1 })).ToBeVisibleAsync();
        await ShootAsync(page, "import-upload-en");
        await page.GetByLabel("CSV file (at most 20 MB)").SetInputFilesAsync(new FilePayload { Name = "klanten-2025.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(File) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();

        // The mapping is guessed from the Dutch headers; the preview shows the first rows.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Which column is what?", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("5 rows in klanten-2025.csv")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Import column “E-mail” as")).ToHaveValueAsync("Email");
        await Expect(page.GetByLabel("Import column “Voornaam” as")).ToHaveValueAsync("FirstName");
        await Expect(page.GetByLabel("Import column “Telefoon” as")).ToHaveValueAsync("Phone");
        await Expect(page.GetByLabel("Import column “Datum toestemming e-mail” as")).ToHaveValueAsync("EmailConsentDate");
        await Expect(page.GetByLabel("Also send these to my CRM")).Not.ToBeCheckedAsync();
        await ShootAsync(page, "import-mapping-en");
        var mappingUrl = page.Url;
        await page.GotoAsync(mappingUrl + "?lang=nl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welke kolom is wat?", Level = 1 })).ToBeVisibleAsync();
        await ShootAsync(page, "import-mapping-nl");
        await page.GotoAsync(mappingUrl + "?lang=en");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start the import" }).ClickAsync();
        if (await page.Locator("progress").CountAsync() > 0)
        {
            // Only while the worker has not finished yet (a file this small takes a moment).
            await Screenshots.SaveAsync(page, "import-progress-en-desktop");
        }

        // The job runs in the app's Hangfire server; the page follows it and shows the report.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import of klanten-2025.csv", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator(".import-counts")).ToContainTextAsync("Imported3");
        await Expect(page.Locator(".import-counts")).ToContainTextAsync("Not imported (errors)2");
        var rows = page.Locator("table.errors-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*4\s*Email\s*not an email address\s*$"));
        await Expect(rows.Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*5\s*Email consent date\s*consent date missing\s*$"));
        await ShootAsync(page, "import-report-en");
        var reportUrl = page.Url;
        await page.GotoAsync(reportUrl + "?lang=nl");
        await Expect(page.Locator("table.errors-table tbody tr").Nth(0)).ToContainTextAsync("geen e-mailadres");
        await ShootAsync(page, "import-report-nl");
        await page.GotoAsync(reportUrl + "?lang=en");

        // The list shows them tagged, and the source filter tells them from kiosk sign-ups.
        await page.GetByRole(AriaRole.Link, new() { Name = "See the imported sign-ups" }).ClickAsync();
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("tbody tr").First.Locator(".badge-imported")).ToHaveTextAsync("Imported");
        await Expect(page.GetByLabel("Source")).ToHaveValueAsync("import");
        await ShootAsync(page, "import-signups-en");
        await page.GotoAsync(app.StoreUrl("acme", "/admin/signups?source=kiosk").ToString());
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(0);

        // The dashboard counts no kiosk sign-ups and shows the imported ones apart.
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.Locator("[data-stat=today]")).ToHaveTextAsync("0");
        await Expect(page.Locator("[data-stat=imported]")).ToHaveTextAsync("+ 3 imported (not counted above)");

        // The past imports list it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
        await Expect(page.Locator("table.imports-table tbody tr")).ToContainTextAsync("klanten-2025.csv");
        await page.GotoAsync(app.StoreUrl("acme", "/admin/import?lang=nl").ToString());
        await ShootAsync(page, "import-upload-nl");
    }
}
