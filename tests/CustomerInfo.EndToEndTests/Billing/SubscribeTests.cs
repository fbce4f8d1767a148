using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.EndToEndTests.Browser;
using CustomerInfo.TestSupport;

namespace CustomerInfo.EndToEndTests.Billing;

/// <summary>Issue 13 §3 as an Owner clicks it: Billing, Subscribe, the fake's Checkout, Pay, and back to a page that is "active" once the webhook has made it so.</summary>
[Collection(SharedBrowser.Collection)]
public class SubscribeTests(BrowserFixture browser, KestrelAppFactory plain, BillingKestrelAppFactory app)
    : BrowserTest(browser, plain), IClassFixture<BillingKestrelAppFactory>
{
    private const string Owner = "owner@acme.test";

    protected override async Task ArrangeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes", TenantStatus.Trialing);
        await app.AddMemberAsync("acme", Owner, TeamRole.Owner);
    }

    [Fact]
    public async Task The_owner_subscribes_through_Checkout_and_the_webhook_makes_the_store_active()
    {
        var admin = await OpenAsync(app.StoreUrl("acme", "/admin/signin"));
        await admin.GetByLabel("Email").FillAsync(Owner);
        await admin.GetByLabel("Password").FillAsync(Members.Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await admin.GetByRole(AriaRole.Link, new() { Name = "Billing", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 1 })).ToBeVisibleAsync();
        await Expect(admin.GetByText("€29 per store per month")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "billing-trial-desktop");
        await GoAsync(admin, app.StoreUrl("acme", "/admin/billing?lang=nl"));
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Facturering", Level = 1 })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "billing-trial-nl-desktop");
        await GoAsync(admin, app.StoreUrl("acme", "/admin/billing?lang=en"));

        await admin.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(app.Stripe.BaseUrl)}/checkout/cs_test_"));
        await Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "price_store_monthly" })).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "billing-fake-checkout-desktop");

        await admin.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = true }).ClickAsync();

        await Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/billing/return\\?session_id=cs_test_"));
        // The fake delivers its signed events before it redirects, so the page is active at once or after a poll.
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Your subscription is active" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ScreenshotAsync(admin, "billing-active-desktop");
        (await app.TenantAsync("acme")).Status.ShouldBe(TenantStatus.Active);
        await GoAsync(admin, app.StoreUrl("acme", "/admin/billing"));
        await Expect(admin.GetByText("Your subscription is active on the Store plan.")).ToBeVisibleAsync();
        await ScreenshotAsync(admin, "billing-subscribed-desktop");
        app.Stripe.Deliveries.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d.Payload)!["type"]!.ToString())
            .ShouldBe(["customer.subscription.created", "checkout.session.completed", "invoice.paid"]);
    }
}
