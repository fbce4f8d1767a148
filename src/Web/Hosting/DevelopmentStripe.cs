using System.Net;
using System.Net.Sockets;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Common;
using CustomerInfo.StripeFake;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Hosting;

/// <summary>
/// Development without Stripe keys uses the loopback Stripe fake (issue 13 §9), so <c>./build.sh run</c>
/// can be clicked through: Subscribe, the fake's Checkout, back, active once its signed webhook
/// reaches <c>/stripe/webhook</c>. Never outside Development, and never when keys are set (then the
/// app talks to Stripe's test mode, README "Billing with Stripe's test mode").
/// </summary>
public static partial class DevelopmentStripe
{
    public static IServiceCollection AddDevelopmentStripe(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetSection(StripeOptions.Section).Get<StripeOptions>() ?? new StripeOptions();
        if (!environment.IsDevelopment() || configured.IsConfigured)
        {
            return services;
        }

        // The port is chosen now, so the Stripe client, made whenever first needed, already has the fake's address.
        var fake = new StripeFakeServer(new StripeFakeOptions { Port = FreeLoopbackPort() });
        services.AddSingleton(fake);
        services.PostConfigure<StripeOptions>(options =>
        {
            options.SecretKey = fake.Options.ApiKey;
            options.WebhookSecret = fake.Options.WebhookSecret;
            options.ApiBase = $"http://127.0.0.1:{fake.Options.Port}";
        });
        services.AddHostedService<FakeStripeHost>();
        return services;
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Runs the fake with the app; its events go to the app's webhook once the app listens.</summary>
    private sealed partial class FakeStripeHost(
        StripeFakeServer fake, IOptions<BillingOptions> billing, ISiteLinks links, IHostApplicationLifetime lifetime, ILogger<FakeStripeHost> logger)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The fake's invoices and its preview of the next one cost what the plans say, so the
            // portal and the usage card show believable amounts (the included sign-ups are free).
            foreach (var plan in billing.Value.Plans)
            {
                var perStore = (long)(plan.PricePerStore * 100);
                fake.PriceAmounts[plan.StorePriceId] = perStore;
                fake.Prices[plan.StorePriceId] = new StripeFakePrice(perStore);
                if (plan.SignUpPriceId.Length > 0)
                {
                    fake.Prices[plan.SignUpPriceId] = new StripeFakePrice((long)(plan.PricePerExtraSignUp * 100), plan.IncludedSignUps);
                }
            }

            await fake.StartAsync();
            lifetime.ApplicationStarted.Register(() => fake.Options.WebhookUrl = links.Platform("/stripe/webhook"));
            LogUsingFake(fake.BaseUrl);
        }

        public Task StopAsync(CancellationToken cancellationToken) => fake.StopAsync();

        [LoggerMessage(Level = LogLevel.Information, Message = "Stripe: using the loopback fake at {BaseUrl} (no Stripe keys are set)")]
        private partial void LogUsingFake(string baseUrl);
    }
}
