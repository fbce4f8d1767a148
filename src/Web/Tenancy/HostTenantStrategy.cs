using CustomerInfo.Domain.Tenants;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Tenancy;

public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>The apex the platform is served at; stores are one label below it.</summary>
    public string RootDomain { get; set; } = "localhost";

    /// <summary>How visitors reach the apex (scheme, host, port), for links in mails; see <see cref="SiteLinks"/>.</summary>
    public string? PublicOrigin { get; set; }
}

/// <summary>
/// <c>{store}.{root}</c> is a store; <c>{root}</c> and <c>www.{root}</c> are the platform; anything
/// else (other domains, IP addresses, deeper subdomains, malformed or punycode labels) is not found.
/// Case and port are ignored.
/// </summary>
public sealed class HostTenantStrategy(IOptions<AppOptions> options) : ITenantStrategy
{
    private const int MaxHostLength = 253;
    private readonly string root = options.Value.RootDomain.Trim().TrimEnd('.').ToLowerInvariant();

    public TenantRequest Resolve(HttpContext context) => Resolve(context.Request.Host.Host);

    public TenantRequest Resolve(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxHostLength)
        {
            return TenantRequest.NotFound;
        }

        host = host.TrimEnd('.').ToLowerInvariant();
        if (host == root || host == "www." + root)
        {
            return TenantRequest.Platform;
        }

        if (host.Length <= root.Length + 1 || !host.EndsWith("." + root, StringComparison.Ordinal))
        {
            return TenantRequest.NotFound;
        }

        var label = host[..^(root.Length + 1)];
        return !label.Contains('.', StringComparison.Ordinal) && Subdomain.TryParse(label, out var subdomain, out _)
            ? TenantRequest.Store(subdomain.Value)
            : TenantRequest.NotFound;
    }
}
