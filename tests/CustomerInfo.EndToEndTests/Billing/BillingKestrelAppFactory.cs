using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.EndToEndTests.Billing;

/// <summary>
/// The app on a real socket with the Stripe fake on another, as <c>./build.sh run</c> has them: the
/// browser goes to the fake's hosted pages, and the fake's signed events reach the app over HTTP.
/// The app's clock is the real one unless a test moves it ahead (<see cref="Clock"/>); the fake and
/// the browser keep the real time, so signatures and cookies stay valid.
/// </summary>
public sealed class BillingKestrelAppFactory : KestrelAppFactory
{
    public StripeFakeServer Stripe { get; } = new(new StripeFakeOptions());

    public AheadClock Clock { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            .. base.Settings,
            new("Stripe:SecretKey", Stripe.Options.ApiKey),
            new("Stripe:WebhookSecret", Stripe.Options.WebhookSecret),
            new("Stripe:ApiBase", Stripe.BaseUrl),
            new("Billing:Plans:0:Id", BillingAppFactory.Plan),
            new("Billing:Plans:0:Name", "Store"),
            new("Billing:Plans:0:NameNl", "Winkel"),
            new("Billing:Plans:0:StorePriceId", BillingAppFactory.StorePrice),
            new("Billing:Plans:0:SignUpPriceId", BillingAppFactory.SignUpPrice),
            new("Billing:Plans:0:IncludedSignUps", "1000"),
            new("Billing:Plans:0:PricePerStore", "29"),
            new("Billing:Plans:0:PricePerExtraSignUp", "0.02"),
        ];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<CustomerInfo.Application.Common.IClock>(Clock);

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
        Stripe.Options.WebhookUrl = PlatformUrl("/stripe/webhook");
        Stripe.PriceAmounts[BillingAppFactory.StorePrice] = 2900;
        Stripe.Prices[BillingAppFactory.StorePrice] = new StripeFakePrice(2900);
        Stripe.Prices[BillingAppFactory.SignUpPrice] = new StripeFakePrice(2, FreeUnits: 1000);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The real time, or that much ahead: a grace period can be over without waiting for it.</summary>
public sealed class AheadClock : CustomerInfo.Application.Common.IClock
{
    public TimeSpan Ahead { get; set; }

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + Ahead;
}
