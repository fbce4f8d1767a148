using CustomerInfo.StripeFake;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;

namespace CustomerInfo.EndToEndTests.Billing;

/// <summary>
/// The app on a real socket with the Stripe fake on another, as <c>./build.sh run</c> has them: the
/// browser goes to the fake's hosted pages, and the fake's signed events reach the app over HTTP.
/// </summary>
public sealed class BillingKestrelAppFactory : KestrelAppFactory
{
    public StripeFakeServer Stripe { get; } = new(new StripeFakeOptions());

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

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
        Stripe.Options.WebhookUrl = PlatformUrl("/stripe/webhook");
        Stripe.PriceAmounts[BillingAppFactory.StorePrice] = 2900;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
