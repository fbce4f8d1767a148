using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.Infrastructure.Crm.Webhook;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm;

/// <summary>
/// The CRM connectors. A new connector is one class implementing <see cref="ICrmConnector"/> plus one
/// line here: <c>services.AddCrmConnector&lt;T&gt;(kind)</c>.
/// </summary>
public static class CrmRegistration
{
    internal static IServiceCollection AddCrm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CrmOptions>().Bind(configuration.GetSection(CrmOptions.Section));
        services.TryAddSingleton(TimeProvider.System); // the webhook signs with the wall clock
        services.AddSingleton<ICrmConnectors, CrmConnectors>();
        services.AddSingleton<ICrmSecrets, DataProtectionCrmSecrets>();

        services.AddCrmConnector<WebhookConnector>(WebhookConnector.Kind)
            .ConfigurePrimaryHttpMessageHandler(provider => WebhookTargets.Handler(provider.GetRequiredService<IOptions<CrmOptions>>().Value.AllowPrivateTargets));
        services.AddCrmConnector<HubSpotConnector>(HubSpotConnector.Kind);
        services.AddCrmConnector<KlaviyoConnector>(KlaviyoConnector.Kind);
        services.AddCrmConnector<MailchimpConnector>(MailchimpConnector.Kind);
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TConnector"/> and its own HTTP client, named <paramref name="kind"/>:
    /// the timeout of <see cref="CrmOptions.TimeoutSeconds"/>, no redirects followed, and none of the
    /// client factory's request logging (its lines name the URL, and some CRMs put an email address in it).
    /// </summary>
    public static IHttpClientBuilder AddCrmConnector<TConnector>(this IServiceCollection services, string kind)
        where TConnector : class, ICrmConnector
    {
        services.AddSingleton<TConnector>();
        services.AddSingleton<ICrmConnector>(provider => provider.GetRequiredService<TConnector>());
        return services.AddHttpClient(kind)
            .ConfigureHttpClient((provider, client) => client.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<CrmOptions>>().Value.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
    }
}

internal sealed class CrmConnectors(IEnumerable<ICrmConnector> connectors) : ICrmConnectors
{
    private readonly Dictionary<string, ICrmConnector> byKind = connectors.ToDictionary(c => c.Info.Kind, StringComparer.Ordinal);

    public IReadOnlyList<CrmConnectorInfo> All { get; } = connectors.Select(c => c.Info).ToList();

    public ICrmConnector? Find(string kind) => byKind.GetValueOrDefault(kind);
}
