using CustomerInfo.Application.Common;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Tenancy;

/// <summary>
/// Links from <c>App:PublicOrigin</c> (scheme, apex host and port as visitors reach them, e.g.
/// <c>https://customerinfo.example</c>, or <c>http://localhost:8080</c> locally); without it,
/// <c>https://{App:RootDomain}</c>.
/// </summary>
public sealed class SiteLinks(IOptions<AppOptions> options) : ISiteLinks
{
    private readonly Uri origin = OriginOf(options.Value);

    public Uri Store(string identifier, string pathAndQuery) =>
        new UriBuilder(origin) { Host = $"{identifier}.{origin.Host}" }.Uri is var store ? new Uri(store, pathAndQuery) : throw new InvalidOperationException();

    public Uri Platform(string pathAndQuery) => new(origin, pathAndQuery);

    private static Uri OriginOf(AppOptions app)
    {
        if (string.IsNullOrWhiteSpace(app.PublicOrigin))
        {
            return new Uri($"https://{app.RootDomain.Trim().TrimEnd('.')}/");
        }

        if (!Uri.TryCreate(app.PublicOrigin.Trim(), UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https") || origin.AbsolutePath != "/")
        {
            throw new InvalidOperationException("App:PublicOrigin must be a scheme, host and optional port, such as https://customerinfo.example (see docs/configuration.md).");
        }

        return origin;
    }
}
