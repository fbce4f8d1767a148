using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>The app on a socket as ./build.sh run starts it: Development, jobs running, mail caught in a folder shown at /dev/mail.</summary>
public sealed class OnboardingKestrelApp : KestrelAppFactory
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "customerinfo-e2e-onboarding-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Seed:Demo", "false"), new("Smtp:PickupDirectory", Directory), new("Hangfire:Server:Enabled", "true")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

[Collection(SharedBrowser.Collection)]
public class RetailerOnboardingTests(BrowserFixture browser, OnboardingKestrelApp app) : IClassFixture<OnboardingKestrelApp>, IAsyncLifetime
{
    private readonly List<string> scriptErrors = [];

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("taken", "Taken Store");
    }

    public Task DisposeAsync()
    {
        scriptErrors.ShouldBeEmpty();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_retailer_starts_a_trial_confirms_from_the_caught_mail_and_invites_staff_who_cannot_open_the_team()
    {
        await using var founderContext = await browser.NewContextAsync(Screen.Desktop, BrowserFixture.DefaultLocale);
        founderContext.WebError += (_, error) => scriptErrors.Add(error.Error);
        var page = await founderContext.NewPageAsync();
        await page.GotoAsync(app.PlatformUrl("/").ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Start free trial" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(app.PlatformUrl("/start").ToString());
        await page.GetByLabel("Company name").FillAsync("Fresh Shoes");
        await page.GetByLabel("Your address").FillAsync("taken");
        await Expect(page.Locator("#subdomain-check")).ToHaveTextAsync("That subdomain is taken. Choose another.");
        await Screenshots.SaveAsync(page, "start-taken-desktop");
        await page.GetByLabel("Your address").FillAsync("fresh-shoes");
        await Expect(page.Locator("#subdomain-check")).ToHaveTextAsync("Available.");
        await page.GetByLabel("Work email").FillAsync("founder@fresh-shoes.test");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("laces and soles forever");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start free trial" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(app.StoreUrl("fresh-shoes", "/admin?welcome=true").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Confirm your email address to open the kiosk")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "admin-overview-unconfirmed-desktop");
        await page.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Tablet.Width);
        await Screenshots.SaveAsync(page, "admin-overview-unconfirmed-tablet");
        await page.SetViewportSizeAsync(Screen.Desktop.Width, Screen.Desktop.Height);

        var confirm = await CaughtLinkAsync(page, "/admin/confirm");
        await page.GotoAsync(confirm);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your email address is confirmed");
        await Screenshots.SaveAsync(page, "admin-confirmed-desktop");
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to your admin" }).ClickAsync();
        await Expect(page.GetByText("Confirm your email address to open the kiosk")).ToHaveCountAsync(0);
        await Expect(page.GetByText("1 of 5 done")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "admin-overview-desktop");

        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync("staff@fresh-shoes.test");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("Staff");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("We sent an invitation to staff@fresh-shoes.test.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitations not yet accepted" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "admin-team-desktop");
        await page.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        await Screenshots.SaveAsync(page, "admin-team-tablet");

        await using var staffContext = await browser.NewContextAsync(Screen.Tablet, BrowserFixture.DefaultLocale);
        staffContext.WebError += (_, error) => scriptErrors.Add(error.Error);
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync(await CaughtLinkAsync(staff, "/admin/invitation"));
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Join Fresh Shoes");
        await Screenshots.SaveAsync(staff, "admin-invitation-tablet");
        await staff.GetByLabel("Choose a password").FillAsync("tills and receipts");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Join the team" }).ClickAsync();

        await Expect(staff).ToHaveURLAsync(app.StoreUrl("fresh-shoes", "/admin").ToString());
        await Expect(staff.GetByText("Signed in as staff@fresh-shoes.test (Staff)")).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Link, new() { Name = "Team" })).ToHaveCountAsync(0);
        var forbidden = await staff.GotoAsync(app.StoreUrl("fresh-shoes", "/admin/team").ToString());
        forbidden.ShouldNotBeNull().Status.ShouldBe(403);

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "staff@fresh-shoes.test", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_sign_in_page_is_readable_at_desktop_and_tablet_size_in_english_and_dutch()
    {
        await app.AddMemberAsync("taken", "owner@taken.test", Domain.Accounts.TeamRole.Owner);
        foreach (var (screen, locale) in new[] { (Screen.Desktop, "en-GB"), (Screen.Tablet, "nl-NL") })
        {
            await using var context = await browser.NewContextAsync(screen, locale);
            var page = await context.NewPageAsync();
            await page.GotoAsync(app.StoreUrl("taken", "/admin/signin").ToString());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(locale == "en-GB" ? "Sign in" : "Inloggen");
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width);
            await Screenshots.SaveAsync(page, $"admin-signin-{screen.Name}-{locale[..2]}");
        }
    }

    /// <summary>The newest link to <paramref name="path"/> on the caught-mail page, waiting for its job to write the mail.</summary>
    private async Task<string> CaughtLinkAsync(IPage page, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync(app.PlatformUrl("/dev/mail").ToString());
            var links = page.Locator($"a[href*='{path}']");
            if (await links.CountAsync() > 0)
            {
                return (await links.First.GetAttributeAsync("href"))!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No mail with a link to {path} was caught.");
            }

            await Task.Delay(500);
        }
    }
}
