using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Observability;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;

namespace CustomerInfo.FunctionalTests.Observability;

public class MetricsTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("localhost")]
    [InlineData("10.1.2.3:8080")]
    [InlineData("nowhere.localhost")]
    [InlineData("metrics-store.localhost")]
    public async Task Outside_development_without_a_management_port_metrics_answer_on_no_host(string host)
    {
        await app.AddStoreAsync("metrics-store", "Metrics Store");

        var response = await app.ClientFor(host).GetAsync(Telemetry.MetricsPath);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("# TYPE");
    }

    [Fact]
    public void Without_an_otlp_endpoint_no_traces_are_recorded() =>
        app.Services.GetService<TracerProvider>().ShouldBeNull();

    [Fact]
    public async Task Database_spans_never_carry_the_password()
    {
        var password = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString).Password!;
        var tags = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => Telemetry.DataSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                foreach (var tag in activity.TagObjects)
                {
                    tags.Add($"{tag.Key}={tag.Value}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await app.AddStoreAsync("traced", "Traced Store");
        await app.ClientFor("traced.localhost").GetAsync("/");

        tags.ShouldContain(tag => tag.StartsWith("db.statement=", StringComparison.Ordinal));
        tags.ShouldNotContain(tag => tag.Contains("Password=", StringComparison.OrdinalIgnoreCase));
        tags.ShouldNotContain(tag => tag.Contains(password, StringComparison.Ordinal));
    }
}

/// <summary>With a collector configured, requests and Marten's and Npgsql's spans are traced and exported.</summary>
public class OtlpTracingTests(AppWithOtlpEndpoint app) : IClassFixture<AppWithOtlpEndpoint>
{
    [Fact]
    public void With_an_otlp_endpoint_marten_and_npgsql_activity_sources_are_traced()
    {
        app.Services.GetService<TracerProvider>().ShouldNotBeNull();
        foreach (var name in Telemetry.DataSources)
        {
            using var source = new ActivitySource(name);
            source.HasListeners().ShouldBeTrue(name);
        }
    }

    [Fact]
    public async Task A_kiosk_link_s_token_never_reaches_a_trace()
    {
        var tenantId = await app.AddStoreAsync("linked", "Linked Store");
        var link = await app.AddKioskLinkAsync(tenantId, "Station");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await app.ClientFor("linked.localhost").GetAsync($"/k/{link.Token}");

        // The listener hears every test running meanwhile: this test's span is the one on its store's host.
        // The server span stops after the test client has its answer, so wait for it.
        bool OnItsHost(Activity s) => s.GetTagItem("server.address") as string == "linked.localhost";
        for (var attempt = 0; attempt < 100 && !spans.Any(OnItsHost); attempt++)
        {
            await Task.Delay(50);
        }

        spans.ShouldNotContain(s => s.DisplayName.Contains(link.Token, StringComparison.Ordinal) || s.TagObjects.Any(t => (t.Value as string ?? "").Contains(link.Token, StringComparison.Ordinal)));
        var span = spans.Where(OnItsHost).ShouldHaveSingleItem();
        span.GetTagItem("url.path").ShouldBe("/k/{token}");
    }
}

/// <summary>The app with an OTLP endpoint where no collector listens (exports fail quietly).</summary>
public sealed class AppWithOtlpEndpoint : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new(Telemetry.OtlpEndpointKey, "http://127.0.0.1:9")];
}

/// <summary>The app on real sockets: the public port and a management port, as in Kubernetes.</summary>
public sealed class AppWithManagementPort : AppFactory
{
    public AppWithManagementPort()
    {
        PublicPort = FreePort();
        ManagementPort = FreePort();
        UseKestrel(options =>
        {
            options.ListenLocalhost(PublicPort);
            options.ListenLocalhost(ManagementPort);
        });
    }

    public int PublicPort { get; }

    public int ManagementPort { get; }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new(Telemetry.ManagementPortKey, ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public class ManagementPortTests(AppWithManagementPort app) : IClassFixture<AppWithManagementPort>
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Metrics_answer_on_the_management_port()
    {
        var response = await Http.GetAsync(new Uri($"http://localhost:{app.ManagementPort}{Telemetry.MetricsPath}"));
        (await AppFactory.ReadAsync(response, HttpStatusCode.OK)).ShouldContain("# TYPE");
    }

    [Fact]
    public async Task Metrics_include_http_requests_database_commands_and_appended_events_but_no_pool_name()
    {
        await app.AddStoreAsync("metered", "Metered Store");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://localhost:{app.PublicPort}/"));
        request.Headers.Host = "metered.localhost";
        (await Http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The exporter caches a scrape for 300 ms: ask until the answer is newer than the requests.
        string[] expected = ["http_server_request_duration_seconds", "db_client_", "marten_event_append", "dotnet_gc_"];
        var body = "";
        for (var attempt = 0; attempt < 50 && !expected.All(name => body.Contains(name, StringComparison.Ordinal)); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            body = await AppFactory.ReadAsync(await Http.GetAsync(new Uri($"http://localhost:{app.ManagementPort}{Telemetry.MetricsPath}")), HttpStatusCode.OK);
        }

        foreach (var name in expected)
        {
            body.ShouldContain(name);
        }

        // Npgsql's pool metrics are there, without the pool's name (the connection string less its password).
        var connection = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString);
        body.ShouldContain("db_client_connections_usage");
        body.ShouldContain("state=\"idle\"");
        body.ShouldNotContain("pool_name");
        body.ShouldNotContain($"Host={connection.Host}", Case.Insensitive);
        body.ShouldNotContain($"Username={connection.Username}", Case.Insensitive);
        body.ShouldNotContain($"Database={connection.Database}", Case.Insensitive);
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_public_port_that_the_ingress_reaches()
    {
        var response = await Http.GetAsync(new Uri($"http://localhost:{app.PublicPort}{Telemetry.MetricsPath}"));
        var body = await AppFactory.ReadAsync(response, HttpStatusCode.NotFound);
        body.ShouldNotContain("# TYPE");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/owner/signin")]
    [InlineData("/hangfire")]
    public async Task The_management_port_serves_nothing_but_metrics_and_health(string path)
    {
        (await Http.GetAsync(new Uri($"http://localhost:{app.ManagementPort}{path}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Http.GetAsync(new Uri($"http://localhost:{app.ManagementPort}/health/live"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_public_port_still_serves_the_platform_and_its_probes()
    {
        (await Http.GetAsync(new Uri($"http://localhost:{app.PublicPort}/"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Http.GetAsync(new Uri($"http://localhost:{app.PublicPort}/health/ready"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>The app with an OTLP collector configured that does not answer.</summary>
public sealed class AppExportingToOtlp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new(Telemetry.OtlpEndpointKey, "http://127.0.0.1:9")];
}

public class OtlpExportTests(AppExportingToOtlp app) : IClassFixture<AppExportingToOtlp>
{
    [Fact]
    public async Task An_unreachable_collector_never_affects_requests_or_the_probes()
    {
        (await app.ClientFor("localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ClientFor("demo.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ClientFor("localhost").GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
