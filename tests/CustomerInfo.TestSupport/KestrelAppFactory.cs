using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>
/// The real app on a real socket (Kestrel on 127.0.0.1, a port the OS picks), for a real browser.
/// Everything else is <see cref="AppFactory"/>: own database, <see cref="AppFactory.AddStoreAsync"/>,
/// <see cref="AppFactory.ResetAsync"/>, the owner's credentials. Store addresses are
/// <c>http://{store}.localhost:{port}/</c>; browsers resolve every <c>*.localhost</c> name to loopback.
/// (<see cref="AppFactory.ClientFor"/> is for the in-memory server; over the socket use a browser page.)
/// </summary>
public class KestrelAppFactory : AppFactory
{
    public KestrelAppFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>The port Kestrel is listening on, known once the class fixture is initialised.</summary>
    public int Port { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Port = new Uri(addresses.Single()).Port;
    }

    /// <summary>An address on the platform (apex) host, e.g. <c>http://localhost:41234/owner</c>.</summary>
    public Uri PlatformUrl(string path = "/") => new($"http://localhost:{Port}{path}");

    /// <summary>An address on a store's host, e.g. <c>http://demo.localhost:41234/</c>.</summary>
    public Uri StoreUrl(string identifier, string path = "/") => new($"http://{identifier}.localhost:{Port}{path}");
}
