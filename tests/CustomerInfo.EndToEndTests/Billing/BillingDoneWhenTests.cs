using System.Text.RegularExpressions;
using CustomerInfo.Application.Billing.Run;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Billing;

/// <summary>
/// Issue 13's "done when", in Chromium against the Stripe fake: a trial retailer subscribes, a
/// payment fails (banner), the grace period ends (kiosk closed, the tablet keeps its sign-up), the
/// Owner pays in the portal and the kiosk opens again; the platform owner's console follows along.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class BillingDoneWhenTests(BrowserFixture browser, KestrelAppFactory plain, BillingKestrelAppFactory app)
    : BrowserTest(browser, plain), IClassFixture<BillingKestrelAppFactory>
{
    private const string Owner = "owner@acme.test";

    protected override async Task ArrangeAsync()
    {
        app.Clock.Ahead = TimeSpan.Zero;
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes", TenantStatus.Trialing);
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
        // One shop: Checkout's quantity, and €29 of MRR once subscribed.
        await app.AddRetailStoreAsync("acme", "Acme Centre");
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { ThankYouSeconds = 3 }));
    }

    [Fact]
    public async Task A_failed_payment_closes_the_kiosk_after_the_grace_period_and_paying_opens_it_again()
    {
        var console = await OwnerConsoleAsync();
        await StoreRowShowsAsync(console, "Trial", "Kiosk open");

        // Subscribe: Checkout, Pay, and the webhook makes the store active.
        var admin = await SignInAsync(Screen.Desktop);
        await GoAsync(admin, app.StoreUrl("acme", "/admin/billing"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Your subscription is active" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.Active);
        await StoreRowShowsAsync(console, "Active", "Kiosk open", "Store", "MRR €29.00");
        await Expect(console.Locator(".totals")).ToContainTextAsync("€29.00");
        await ScreenshotAsync(console, "billing-done-when-1-console-active-desktop");

        // The tablet on the counter has the form open.
        var tablet = await NewPageAsync(Screen.Tablet);
        await tablet.Clock.InstallAsync();
        await GoAsync(tablet, app.StoreUrl("acme"));
        await Expect(tablet.Locator("html[data-offline=ready]")).ToHaveCountAsync(1);

        // The next payment fails: the admin shows the banner that links to billing, the kiosk stays open.
        await OpenPortalAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Next payment fails" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("The payment failed: an invoice is open.");
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.PastDue);
        await GoAsync(admin, app.StoreUrl("acme", "/admin"));
        var banner = admin.Locator(".banner[role=status]");
        await Expect(banner).ToContainTextAsync("Your last payment failed.");
        await Expect(banner.GetByRole(AriaRole.Link, new() { Name = "Fix payment" })).ToHaveAttributeAsync("href", "/admin/billing");
        await ScreenshotAsync(admin, "billing-done-when-2-past-due-desktop");
        await ShopperSeesAsync("Sign up", 200);
        await StoreRowShowsAsync(console, "Past due", "Grace until", "Kiosk open");

        // Eight days later the grace is over and the billing run records it: the kiosk is closed.
        app.Clock.Ahead = TimeSpan.FromDays(8);
        await RunBillingAsync();
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.Unpaid);
        var shopper = await ShopperSeesAsync("Sign-up is unavailable here", 403);
        await ScreenshotAsync(shopper, "billing-done-when-3-kiosk-unavailable-tablet");
        await StoreRowShowsAsync(console, "Unpaid", "Grace over: kiosk closed until paid", "Kiosk closed");
        await ScreenshotAsync(console, "billing-done-when-3-console-unpaid-desktop");

        // A shopper signs up on the tablet meanwhile: it thanks them and keeps the sign-up queued.
        await tablet.Locator("#first-name").FillAsync("Queued");
        await tablet.Locator("#last-name").FillAsync("de Vries");
        await tablet.Locator("#email").FillAsync("queued@example.com");
        await tablet.Locator("#email-consent").CheckAsync();
        await tablet.Locator("#signup .submit").ClickAsync();
        await Expect(tablet.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you! You're signed up.");
        await Expect(tablet.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 sign-up waiting to send");
        await ScreenshotAsync(tablet, "billing-done-when-4-tablet-queued-tablet");
        (await StoredAsync()).ShouldBeEmpty();

        // The Owner still reaches billing (the admin is open when the kiosk is not) and pays the open invoice.
        await GoAsync(admin, app.StoreUrl("acme", "/admin"));
        await Expect(admin.Locator(".banner[role=alert]")).ToContainTextAsync("Your kiosk is closed because payment failed.");
        await GoAsync(admin, app.StoreUrl("acme", "/admin/billing"));
        await Expect(admin.Locator(".billing-state")).ToContainTextAsync("Your payment is overdue and your kiosk is closed.");
        await ScreenshotAsync(admin, "billing-done-when-5-unpaid-billing-desktop");
        var ownerOnTablet = await SignInAsync(Screen.Tablet);
        await GoAsync(ownerOnTablet, app.StoreUrl("acme", "/admin/billing"));
        (await ownerOnTablet.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Tablet.Width);
        await ScreenshotAsync(ownerOnTablet, "billing-done-when-5-unpaid-billing-tablet");

        await OpenPortalAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Pay the open invoice" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("The invoice is paid.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Return" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(app.StoreUrl("acme", "/admin/billing").ToString());
        await Expect(admin.GetByText("Your subscription is active on the Store plan.")).ToBeVisibleAsync();
        await Expect(admin.Locator(".banner")).ToHaveCountAsync(0);
        await ScreenshotAsync(admin, "billing-done-when-6-paid-billing-desktop");
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.Active);

        // The kiosk is open again, and the tablet's queued sign-up goes through on its next try.
        await ShopperSeesAsync("Sign up", 200);
        await tablet.Clock.FastForwardAsync("02:00");
        (await StoredEventuallyAsync()).ShouldHaveSingleItem().Email.ShouldBe("queued@example.com");
        await Expect(tablet.GetByRole(AriaRole.Status)).ToBeHiddenAsync();
        await StoreRowShowsAsync(console, "Active", "Kiosk open", "MRR €29.00");
        await ScreenshotAsync(console, "billing-done-when-7-console-active-again-desktop");
        await console.SetViewportSizeAsync(Screen.Tablet.Width, Screen.Tablet.Height);
        (await console.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(Screen.Tablet.Width);
        await ScreenshotAsync(console, "billing-done-when-7-console-active-again-tablet");

        app.Stripe.Deliveries.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d.Payload)!["type"]!.ToString())
            .ShouldContain("invoice.payment_failed");
    }

    private async Task RunBillingAsync()
    {
        await using var scope = WorkScope.Enter(app.Services.GetRequiredService<IServiceScopeFactory>(), MediatorJob.Principal);
        await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RunBillingCommand());
    }

    private async Task<IPage> OwnerConsoleAsync()
    {
        var page = await NewPageAsync();
        await GoAsync(page, app.PlatformUrl("/owner/signin"));
        await page.GetByLabel("Email").FillAsync(AppFactory.OwnerEmail);
        await page.GetByLabel("Password").FillAsync(AppFactory.OwnerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(app.PlatformUrl("/owner").ToString());
        return page;
    }

    /// <summary>Reloads the console and checks the store's row says each of <paramref name="texts"/>.</summary>
    private static async Task StoreRowShowsAsync(IPage console, params string[] texts)
    {
        await console.ReloadAsync();
        var row = console.Locator("table.stores tbody tr", new() { HasText = "Acme Shoes" });
        foreach (var text in texts)
        {
            await Expect(row).ToContainTextAsync(text);
        }
    }

    private Task<IPage> SignInAsync(Screen screen) => SignInAsync(app.StoreUrl("acme", "/admin/signin"), Owner, screen);

    private static async Task OpenPortalAsync(IPage admin)
    {
        await admin.GotoAsync(new Uri(new Uri(admin.Url), "/admin/billing").ToString());
        await admin.GetByRole(AriaRole.Button, new() { Name = "Manage billing" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/portal/bps_"));
    }

    /// <summary>A shopper's own phone opening the store's kiosk: the form, or "unavailable".</summary>
    private async Task<IPage> ShopperSeesAsync(string heading, int status)
    {
        var page = await NewPageAsync(Screen.Tablet);
        await GoAsync(page, app.StoreUrl("acme"), status);
        await Expect(page.Locator("main")).ToContainTextAsync(heading);
        return page;
    }

    private async Task<IReadOnlyList<SignUpSummary>> StoredAsync() => (await app.SendAsync("acme", new ListSignUpsQuery())).Items;

    private async Task<IReadOnlyList<SignUpSummary>> StoredEventuallyAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            if (await StoredAsync() is { Count: > 0 } stored)
            {
                return stored;
            }

            await Task.Delay(100);
        }

        return [];
    }
}
