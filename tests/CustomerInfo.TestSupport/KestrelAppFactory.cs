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
    /// <summary>
    /// The port is chosen before the app starts (a port the OS just gave out and took back), because
    /// links in mails are built from configuration (<c>App:PublicOrigin</c>) and must name it.
    /// </summary>
    public KestrelAppFactory()
    {
        Port = FreePort();
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
    }

    /// <summary>The port Kestrel listens on.</summary>
    public int Port { get; }

    // Webhooks in the browser tests go to receivers on 127.0.0.1.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("App:PublicOrigin", $"http://localhost:{Port}"), new("Crm:AllowPrivateTargets", "true")];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        if (new Uri(addresses.Single()).Port != Port)
        {
            throw new InvalidOperationException("Kestrel is not listening on the port chosen for it.");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An address on the platform (apex) host, e.g. <c>http://localhost:41234/owner</c>.</summary>
    public Uri PlatformUrl(string path = "/") => new($"http://localhost:{Port}{path}");

    /// <summary>An address on a store's host, e.g. <c>http://demo.localhost:41234/</c>.</summary>
    public Uri StoreUrl(string identifier, string path = "/") => new($"http://{identifier}.localhost:{Port}{path}");
}
