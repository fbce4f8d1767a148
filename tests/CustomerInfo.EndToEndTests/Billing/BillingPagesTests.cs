using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Billing;

/// <summary>
/// The billing pages people look at, in English and Dutch, on a desktop and the counter's tablet:
/// each fits its screen (no sideways scrolling) and is saved as a screenshot to look at.
/// </summary>
[Collection(SharedBrowser.Collection)]
public class BillingPagesTests(BrowserFixture browser, KestrelAppFactory plain, BillingKestrelAppFactory app)
    : BrowserTest(browser, plain), IClassFixture<BillingKestrelAppFactory>
{
    private const string Owner = "owner@acme.test";
    private static readonly Screen[] Screens = [Screen.Desktop, Screen.Tablet];
    private Guid acme;

    protected override async Task ArrangeAsync()
    {
        app.Clock.Ahead = TimeSpan.Zero;
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
    }

    [Theory]
    [InlineData("en", "Your subscription is active", "Usage", "Next invoice: €29")]
    [InlineData("nl", "Je abonnement is actief", "Gebruik", "Volgende factuur: €29")]
    public async Task The_return_page_and_the_usage_card_of_a_subscribed_store(string language, string activeTitle, string usageTitle, string nextInvoice)
    {
        await SubscribeAsync();
        foreach (var screen in Screens)
        {
            var page = await SignInAsync(screen);
            await GoAsync(page, app.StoreUrl("acme", $"/admin/billing/return?lang={language}"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = activeTitle, Level = 1 })).ToBeVisibleAsync();
            await FitsAndShootAsync(page, screen, $"billing-return-active-{language}");

            await GoAsync(page, app.StoreUrl("acme", $"/admin/billing?lang={language}"));
            var usage = page.Locator(".card.usage");
            await Expect(usage.GetByRole(AriaRole.Heading, new() { Name = usageTitle })).ToBeVisibleAsync();
            await Expect(usage).ToContainTextAsync(nextInvoice);
            // The cards stand apart, and the meter spans the card rather than a sliver of it.
            var gap = await page.EvaluateAsync<double>("() => document.querySelector('.card.usage').getBoundingClientRect().top - document.querySelector('.card.billing-state').getBoundingClientRect().bottom");
            gap.ShouldBeGreaterThanOrEqualTo(12);
            (await usage.Locator("meter").EvaluateAsync<double>("m => m.getBoundingClientRect().width")).ShouldBeGreaterThan(200);
            await FitsAndShootAsync(page, screen, $"billing-usage-{language}");
        }
    }

    [Theory]
    [InlineData("en", "Your subscription ended on", "Not saved: the admin is read-only")]
    [InlineData("nl", "Je abonnement is beëindigd op", "Niet opgeslagen: je kunt alleen kijken")]
    public async Task A_canceled_store_s_admin_says_until_when_it_can_export_and_refuses_a_change(string language, string banner, string refused)
    {
        await RecordAsync(new TenantFact.SubscriptionActive("sub_leaving", BillingAppFactory.Plan, DateTimeOffset.UtcNow.AddDays(-40)));
        await RecordAsync(new TenantFact.SubscriptionDeleted("sub_leaving", DateTimeOffset.UtcNow.AddDays(-2)));
        foreach (var screen in Screens)
        {
            var page = await SignInAsync(screen);
            await GoAsync(page, app.StoreUrl("acme", $"/admin?lang={language}"));
            await Expect(page.Locator(".read-only-banner[role=status]")).ToContainTextAsync(banner);
            await FitsAndShootAsync(page, screen, $"billing-leaving-banner-{language}");

            // Any change (here an empty form posted to the team page) is answered by the read-only page.
            var answer = await page.RunAndWaitForResponseAsync(
                () => page.EvaluateAsync("() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/admin/team?lang=' + document.documentElement.lang; document.body.append(f); f.submit(); }"),
                response => response.Url.Contains("/admin/team", StringComparison.Ordinal));
            answer.Status.ShouldBe(403);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = refused, Level = 1 })).ToBeVisibleAsync();
            await FitsAndShootAsync(page, screen, $"billing-read-only-{language}");
        }
    }

    [Theory]
    [InlineData("en", "Pricing", "€29.00")]
    [InlineData("nl", "Prijzen", "€29,00")]
    public async Task The_pricing_page_shows_the_plan(string language, string title, string price)
    {
        foreach (var screen in Screens)
        {
            var page = await NewPageAsync(screen);
            await GoAsync(page, app.PlatformUrl($"/pricing?lang={language}"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator(".plan .price")).ToContainTextAsync(price);
            await FitsAndShootAsync(page, screen, $"pricing-{language}");
        }
    }

    [Fact]
    public async Task The_landing_and_start_pages_link_to_the_pricing_page()
    {
        foreach (var screen in Screens)
        {
            var page = await NewPageAsync(screen);
            await GoAsync(page, app.PlatformUrl("/"));
            await FitsAndShootAsync(page, screen, "landing-pricing-link");
            await page.GetByRole(AriaRole.Link, new() { Name = "See our prices" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(app.PlatformUrl("/pricing").ToString());

            await GoAsync(page, app.PlatformUrl("/start"));
            await FitsAndShootAsync(page, screen, "start-pricing-link");
            await page.GetByRole(AriaRole.Link, new() { Name = "See our prices" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pricing", Level = 1 })).ToBeVisibleAsync();
        }
    }

    /// <summary>Asserts the page needs no sideways scrolling on <paramref name="screen"/> and saves <c>{name}-{screen}.png</c>.</summary>
    private static async Task FitsAndShootAsync(IPage page, Screen screen, string name)
    {
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(screen.Width, $"{name} on the {screen.Name}");
        await ScreenshotAsync(page, $"{name}-{screen.Name}");
    }

    /// <summary>A Stripe customer and subscription (one store, the metered sign-ups), as Checkout leaves them, and two kiosk sign-ups today.</summary>
    private async Task SubscribeAsync()
    {
        var customer = app.Stripe.NewCustomer(acme);
        await RecordAsync(new TenantFact.LinkStripeCustomer(customer, DateTimeOffset.UtcNow));
        var subscription = await app.Stripe.CreateSubscriptionAsync(customer, [new StripeFakeItem(BillingAppFactory.StorePrice, 1), new StripeFakeItem(BillingAppFactory.SignUpPrice, null)]);
        await app.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, new TenantFact.SubscriptionActive(subscription["id"]!.ToString(), BillingAppFactory.Plan, DateTimeOffset.UtcNow), default);
        await app.AddSignUpAsync(acme, DateTimeOffset.UtcNow.AddMinutes(-5));
        await app.AddSignUpAsync(acme, DateTimeOffset.UtcNow.AddMinutes(-4));
    }

    private Task<IPage> SignInAsync(Screen screen) => SignInAsync(app.StoreUrl("acme", "/admin/signin"), Owner, screen);

    private async Task RecordAsync(TenantFact fact) =>
        (await app.Services.GetRequiredService<TenantFacts>().RecordAsync(acme, fact, default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);
}
