using CustomerInfo.Application.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Stripe;

namespace CustomerInfo.Infrastructure.Billing;

/// <summary>
/// Stripe (issue 13): one <see cref="StripeClient"/> for the process, built from <see cref="StripeOptions"/>
/// when first needed (Development's fake sets its address before that). Production refuses to start
/// without both keys or with <c>Stripe:ApiBase</c> set: a fake must never stand in for Stripe there.
/// </summary>
public static class BillingRegistration
{
    public const string HttpClientName = "stripe";

    internal static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsProduction())
        {
            services.AddOptions<StripeOptions>()
                .Validate(o => o.IsConfigured, "Stripe:SecretKey and Stripe:WebhookSecret must be set in Production (docs/configuration.md).")
                .Validate(o => string.IsNullOrWhiteSpace(o.ApiBase), "Stripe:ApiBase must not be set in Production: it points the app at a Stripe fake.")
                .ValidateOnStart();
        }

        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<StripeOptions>>().Value.TimeoutSeconds))
            .RemoveAllLoggers();
        services.AddSingleton<IStripeClient>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StripeOptions>>().Value;
            if (string.IsNullOrWhiteSpace(options.SecretKey))
            {
                // Outside Production and Development's fake (tests of other features, a staging without
                // keys): every call is "Stripe unavailable", and the billing pages say so, not a 500.
                return new StripeClient(new StripeClientOptions
                {
                    ApiKey = "sk_not_configured",
                    HttpClient = new SystemNetHttpClient(new HttpClient(new NotConfiguredHandler()), maxNetworkRetries: 0),
                });
            }

            var http = new SystemNetHttpClient(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                maxNetworkRetries: 2);
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = options.SecretKey,
                ApiBase = string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase,
                HttpClient = http,
            });
        });
        services.AddScoped<IStripeBilling, StripeBilling>();
        services.AddSingleton<IStripeCheckout, StripeCheckout>();
        return services;
    }
}

/// <summary>Answers no Stripe call: without <c>Stripe:SecretKey</c> there is no Stripe to reach.</summary>
internal sealed class NotConfiguredHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new HttpRequestException("Stripe is not configured: set Stripe:SecretKey and Stripe:WebhookSecret.");
}
