using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace CustomerInfo.Web.Hosting;

/// <summary>
/// The ingress terminates TLS and tells the app the client's address and scheme. Only
/// X-Forwarded-For and X-Forwarded-Proto are honoured: the tenant comes from the Host header the
/// ingress routed on, and X-Forwarded-Host (which a client can send and some proxies pass on)
/// must never choose it. Without known networks the headers are believed from any peer in
/// Development only; anywhere else from no peer (fail closed: a client's X-Forwarded-For would
/// otherwise pick its own rate-limit bucket).
/// </summary>
public static class IngressForwardedHeaders
{
    /// <summary>CIDR ranges of the proxies to trust, e.g. the ingress controller's pod network.</summary>
    public const string KnownNetworksKey = "App:ForwardedHeaders:KnownNetworks";

    public static IServiceCollection AddIngressForwardedHeaders(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var networks = KnownNetworks(configuration);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = networks.Count > 0 || environment.IsDevelopment()
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            // One proxy hop: the address the ingress appended, not what the client wrote before it.
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // None configured in Development: any peer is trusted (empty lists mean no check).
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Reads a list (<c>KnownNetworks__0</c>, <c>__1</c>...) or one comma-separated value.</summary>
    public static IReadOnlyList<IPNetwork> KnownNetworks(IConfiguration configuration)
    {
        var section = configuration.GetSection(KnownNetworksKey);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        var networks = new List<IPNetwork>();
        foreach (var value in values.SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!IPNetwork.TryParse(value, out var network))
            {
                throw new InvalidOperationException($"{KnownNetworksKey}: '{value}' is not a CIDR range such as 10.0.0.0/8.");
            }

            networks.Add(network);
        }

        return networks;
    }
}
