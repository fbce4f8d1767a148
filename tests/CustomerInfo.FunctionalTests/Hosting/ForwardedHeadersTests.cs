using System.Net;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Hosting;

namespace CustomerInfo.FunctionalTests.Hosting;

/// <summary>The in-memory app behind the ingress: it trusts the ingress controller's network.</summary>
public sealed class AppBehindTheIngress : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new(IngressForwardedHeaders.KnownNetworksKey, "10.0.0.0/8")];
}

public class ForwardedHeadersTests(AppBehindTheIngress app) : IClassFixture<AppBehindTheIngress>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("demo", "Demo Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task X_forwarded_proto_https_from_the_ingress_makes_the_request_https()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/owner");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await app.ClientFor("localhost").SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldStartWith("https://localhost/owner/signin");
    }

    [Fact]
    public async Task Without_x_forwarded_proto_the_request_stays_http()
    {
        var response = await app.ClientFor("localhost").GetAsync("/owner");
        response.Headers.Location!.ToString().ShouldStartWith("http://localhost/owner/signin");
    }

    [Fact]
    public async Task A_forged_x_forwarded_host_cannot_switch_a_platform_request_to_a_store()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Host", "demo.localhost");

        var body = await AppFactory.ReadAsync(await app.ClientFor("localhost").SendAsync(request), HttpStatusCode.OK);

        body.ShouldContain("Every shopper who signs up at your till");
        body.ShouldNotContain("Demo Store");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("nowhere.localhost")]
    public async Task A_forged_x_forwarded_host_cannot_move_a_store_request_elsewhere(string forged)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Host", forged);

        var body = await AppFactory.ReadAsync(await app.ClientFor("demo.localhost").SendAsync(request), HttpStatusCode.OK);

        body.ShouldContain("Join Demo Store and be the first to hear about offers and news.");
    }

    [Fact]
    public async Task A_forged_x_forwarded_host_cannot_open_a_store_on_an_unknown_host()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Host", "demo.localhost");

        var response = await app.ClientFor("nowhere.localhost").SendAsync(request);

        (await AppFactory.ReadAsync(response, HttpStatusCode.NotFound)).ShouldNotContain("Demo Store");
    }
}

/// <summary>The app on a real socket, trusting forwarded headers only from the given networks.</summary>
public abstract class AppOnSocketTrusting : AppFactory
{
    protected AppOnSocketTrusting(string networks)
    {
        Networks = networks;
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(options => options.ListenLocalhost(Port));
    }

    public int Port { get; }

    private string Networks { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new(IngressForwardedHeaders.KnownNetworksKey, Networks)];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
    }

    public async Task<string> SignInRedirectAsync(string forwardedProto)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://localhost:{Port}/owner"));
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await client.SendAsync(request);
        return response.Headers.Location!.ToString();
    }
}

public sealed class AppTrustingTheIngressNetwork() : AppOnSocketTrusting("10.0.0.0/8");

public sealed class AppTrustingLoopback() : AppOnSocketTrusting("127.0.0.0/8, ::1/128");

/// <summary>No known networks outside Development (the tests run as "Testing"), as a Production pod without the setting.</summary>
public sealed class AppTrustingNoNetwork() : AppOnSocketTrusting("");

public class UntrustedProxyTests(AppTrustingTheIngressNetwork app) : IClassFixture<AppTrustingTheIngressNetwork>
{
    [Fact]
    public async Task Forwarded_headers_from_a_peer_outside_the_known_networks_are_ignored() =>
        (await app.SignInRedirectAsync("https")).ShouldStartWith("http://");
}

public class TrustedProxyTests(AppTrustingLoopback app) : IClassFixture<AppTrustingLoopback>
{
    [Fact]
    public async Task Forwarded_headers_from_a_peer_inside_the_known_networks_are_honoured() =>
        (await app.SignInRedirectAsync("https")).ShouldStartWith("https://");
}

public class NoKnownNetworksTests(AppTrustingNoNetwork app) : IClassFixture<AppTrustingNoNetwork>
{
    [Fact]
    public async Task Outside_development_without_known_networks_forwarded_headers_are_believed_from_no_peer_not_even_loopback() =>
        (await app.SignInRedirectAsync("https")).ShouldStartWith("http://");
}
