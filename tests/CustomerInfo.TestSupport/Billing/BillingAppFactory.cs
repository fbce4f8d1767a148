using CustomerInfo.StripeFake;

namespace CustomerInfo.TestSupport.Billing;

/// <summary>
/// The app with Stripe: the real Stripe.net client talks to a loopback <see cref="StripeFakeServer"/>
/// (<see cref="Stripe"/>), whose events are delivered, signed, to this app's <c>/stripe/webhook</c> on
/// the apex. One plan is on sale: <see cref="Plan"/> (€29 per store, 1,000 kiosk sign-ups included).
/// </summary>
public class BillingAppFactory : AppFactory
{
    public const string Plan = "store";
    public const string StorePrice = "price_store_monthly";
    public const string SignUpPrice = "price_signups_metered";

    public StripeFakeServer Stripe { get; } = new(new StripeFakeOptions());

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Stripe:SecretKey", Stripe.Options.ApiKey),
            new("Stripe:WebhookSecret", Stripe.Options.WebhookSecret),
            new("Stripe:ApiBase", Stripe.BaseUrl),
            new("Stripe:TimeoutSeconds", "5"),
            new("Billing:Plans:0:Id", Plan),
            new("Billing:Plans:0:Name", "Store"),
            new("Billing:Plans:0:NameNl", "Winkel"),
            new("Billing:Plans:0:StorePriceId", StorePrice),
            new("Billing:Plans:0:SignUpPriceId", SignUpPrice),
            new("Billing:Plans:0:IncludedSignUps", "1000"),
            new("Billing:Plans:0:PricePerStore", "29"),
            new("Billing:Plans:0:PricePerExtraSignUp", "0.02"),
            new("Billing:Plans:0:Currency", "eur"),
        ];

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
        Stripe.Options.WebhookUrl = new Uri("http://localhost/stripe/webhook");
        Stripe.Options.WebhookHandler = Server.CreateHandler();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
