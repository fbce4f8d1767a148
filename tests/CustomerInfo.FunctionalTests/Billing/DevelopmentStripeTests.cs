using CustomerInfo.FunctionalTests.Owner;
using CustomerInfo.StripeFake;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.FunctionalTests.Billing;

/// <summary>./build.sh run without Stripe keys: the fake charges what the Development plan says, so the demo's amounts are believable.</summary>
public class DevelopmentStripeTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    [Fact]
    public void The_fake_prices_the_plan_s_store_and_its_sign_ups_above_the_included_ones()
    {
        var fake = app.Services.GetRequiredService<StripeFakeServer>();

        fake.PriceAmounts["price_demo_store_monthly"].ShouldBe(2900);
        fake.Prices["price_demo_store_monthly"].ShouldBe(new StripeFakePrice(2900));
        fake.Prices["price_demo_signups_metered"].ShouldBe(new StripeFakePrice(2, FreeUnits: 1000));
    }
}
