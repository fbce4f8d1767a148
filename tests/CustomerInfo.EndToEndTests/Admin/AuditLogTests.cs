using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Admin;

/// <summary>
/// Issue 14 §5 in Chromium: an Owner changes a member's role and exports the sign-ups, then finds both
/// in the audit log, narrows it by action, and reads it on a tablet and in Dutch.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class AuditLogTests(BrowserFixture browser, KestrelAppFactory app) : BrowserTest(browser, app)
{
    private const string Owner = "owner@acme.test";
    private const string Staff = "staff@acme.test";

    protected override async Task ArrangeAsync()
    {
        await App.AddStoreAsync("acme", "Acme Shoes");
        await App.AddMemberAsync("acme", Owner, TeamRole.Owner);
        await App.AddMemberAsync("acme", Staff, TeamRole.Staff);
        await App.SendAsync("acme", new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = "Ann", LastName = "Oosterhout", Email = "ann.oosterhout@example.com", EmailConsent = true });
    }

    [Fact]
    public async Task An_Owner_changes_a_role_and_exports_then_sees_both_in_the_audit_log_and_filters_it()
    {
        var admin = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Owner, Screen.Desktop);

        await admin.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await admin.GetByLabel($"Role of {Staff}").SelectOptionAsync("Manager");
        await admin.Locator("form.role-form").Filter(new() { Has = admin.GetByLabel($"Role of {Staff}") }).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Manager");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Sign-ups" }).ClickAsync();
        await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());

        await admin.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeVisibleAsync();
        var rows = admin.Locator("table.audit-table tbody tr");
        await Expect(rows.Nth(0)).ToContainTextAsync("Exported the sign-ups (all sign-ups): 1 in the file.");
        await Expect(rows.Nth(0)).ToContainTextAsync(Owner);
        await Expect(rows.Nth(1)).ToContainTextAsync($"Changed the role of {Staff} from Staff to Manager");
        await Expect(rows.Nth(1).Locator("td").Nth(3)).ToContainTextAsync("127.0.0.1");
        await Expect(admin.Locator("main")).Not.ToContainTextAsync("ann.oosterhout@example.com");
        await ScreenshotAsync(admin, "audit-log-desktop-en");

        await admin.GetByLabel("Action").SelectOptionAsync(new SelectOptionValue { Label = "Team" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await admin.WaitForURLAsync(url => url.Contains("action=Team", StringComparison.Ordinal));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Nth(0)).ToContainTextAsync("Changed the role of");

        await admin.GetByLabel("Action").SelectOptionAsync(new SelectOptionValue { Label = "CRM" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Nothing matches this filter" })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "audit-log-empty-desktop-en");

        foreach (var (screen, language) in new[] { (Screen.Tablet, "en"), (Screen.Desktop, "nl"), (Screen.Tablet, "nl") })
        {
            var page = await SignInAsync(App.StoreUrl("acme", "/admin/signin"), Owner, screen);
            await GoAsync(page, App.StoreUrl("acme", "/admin/audit?lang=" + language));
            await Expect(page.Locator("table.audit-table tbody tr")).Not.ToHaveCountAsync(0);
            var fits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
            fits.ShouldBeTrue($"the audit log fits a {screen.Name} without scrolling sideways");
            await ScreenshotAsync(page, $"audit-log-{screen.Name}-{language}");
        }

        PolicyViolations.ShouldBeEmpty();
    }
}
