using CustomerInfo.Application.Common.Mail;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Platform;

/// <summary>The app on a socket as ./build.sh run starts it: Development, mail written to a pickup directory.</summary>
public sealed class DevelopmentMailKestrelApp : KestrelAppFactory
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "customerinfo-e2e-mail-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Seed:Demo", "false"), new("Smtp:PickupDirectory", Directory)];

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
public class MailPageTests(BrowserFixture browser, DevelopmentMailKestrelApp app) : IClassFixture<DevelopmentMailKestrelApp>
{
    [Fact]
    public async Task The_caught_mail_page_is_readable_on_a_desktop_and_its_links_open()
    {
        var transport = app.Services.GetRequiredService<IMailTransport>();
        var confirm = app.StoreUrl("acme", "/account/confirm?token=abc");
        await transport.SendAsync(Guid.NewGuid(), AccountMails.Invitation("new.colleague@example.com", "nl", "Acme", "Bea Jansen", "Beheerder", confirm), CancellationToken.None);
        await transport.SendAsync(Guid.NewGuid(), AccountMails.YourStores("bea.jansen@example.com", "en", [new StoreSignIn("Acme", app.StoreUrl("acme", "/admin/sign-in")), new StoreSignIn("Bravo", app.StoreUrl("bravo", "/admin/sign-in"))]), CancellationToken.None);
        await using var context = await browser.NewContextAsync(Screen.Desktop, BrowserFixture.DefaultLocale);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(app.PlatformUrl("/dev/mail").ToString());

        response.ShouldNotBeNull().Status.ShouldBe(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Caught mail");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToHaveTextAsync("Your stores on CustomerInfo");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = confirm.ToString() })).ToHaveAttributeAsync("href", confirm.ToString());
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Desktop.Width);
        // WCAG AA: 4.5:1 for the text and the links on their own backgrounds.
        var lowest = await page.EvaluateAsync<double>(ContrastScript, ".mail-text, .mail-text a, .mail-meta dt, .mail-meta dd, .muted, .mail h2");
        lowest.ShouldBeGreaterThanOrEqualTo(4.5);
        await Screenshots.SaveAsync(page, "dev-mail-desktop");
    }

    /// <summary>The lowest contrast ratio of the elements' text colour against the first opaque background behind them.</summary>
    private const string ContrastScript = """
        selector => {
          const rgb = c => c.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor; const v = rgb(c); if (v.length < 4 || v[3] > 0) return v; } return [255, 255, 255]; };
          let lowest = 21;
          for (const el of document.querySelectorAll(selector)) {
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
            lowest = Math.min(lowest, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
          }
          return lowest;
        }
        """;
}
