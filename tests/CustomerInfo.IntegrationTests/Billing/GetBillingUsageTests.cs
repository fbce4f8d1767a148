using CustomerInfo.Application.Billing.GetBillingUsage;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;

namespace CustomerInfo.IntegrationTests.Billing;

public class GetBillingUsageTests(ClockedBillingAppFactory app) : IClassFixture<ClockedBillingAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        app.Stripe.Prices[BillingAppFactory.StorePrice] = new StripeFakePrice(2900);
        return app.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task This_months_kiosk_sign_ups_are_counted_against_the_plan_and_the_next_invoice_is_shown()
    {
        var tenant = await app.AddSubscribedTenantAsync("usage", app.Clock.UtcNow.AddDays(-40));
        var now = app.Clock.UtcNow;
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        await app.AddSignUpAsync(tenant.TenantId, now);
        await app.AddSignUpAsync(tenant.TenantId, monthStart);
        await app.AddSignUpAsync(tenant.TenantId, now, SignUpSource.Import);
        await app.AddSignUpAsync(tenant.TenantId, monthStart.AddSeconds(-1));

        var usage = await app.SendAsync("usage", new GetBillingUsageQuery());

        usage.Month.ShouldBe(DateOnly.FromDateTime(monthStart.UtcDateTime));
        usage.KioskSignUps.ShouldBe(2);
        usage.IncludedSignUps.ShouldBe(1000);
        usage.NextInvoice.ShouldNotBeNull().AmountDue.ShouldBe(2900);
    }

    [Fact]
    public async Task Without_Stripe_the_usage_is_shown_without_the_next_invoice()
    {
        await app.AddSubscribedTenantAsync("offline", app.Clock.UtcNow.AddDays(-40));
        app.Stripe.FailNext(StripeFault.TooManyRequests);

        var usage = await app.SendAsync("offline", new GetBillingUsageQuery());

        usage.NextInvoice.ShouldBeNull();
        usage.IncludedSignUps.ShouldBe(1000);
    }

    [Fact]
    public async Task A_trial_without_a_customer_has_no_next_invoice()
    {
        await app.AddStoreAsync("trying", "Trying", TenantStatus.Trialing);

        var usage = await app.SendAsync("trying", new GetBillingUsageQuery());

        usage.NextInvoice.ShouldBeNull();
        usage.KioskSignUps.ShouldBe(0);
    }
}
