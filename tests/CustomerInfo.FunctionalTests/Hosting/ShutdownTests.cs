using CustomerInfo.TestSupport;
using CustomerInfo.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.FunctionalTests.Hosting;

/// <summary>A worker-like process: the Hangfire server on, a longer shutdown time as in the worker manifest.</summary>
public sealed class WorkerApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Hangfire:Server:Enabled", "true"),
        new(GracefulShutdown.TimeoutKey, "110"),
    ];
}

public class ShutdownTests(WorkerApp app) : IClassFixture<WorkerApp>
{
    [Fact]
    public void The_shutdown_timeout_comes_from_configuration()
    {
        app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(110));
    }

    [Fact]
    public void The_hangfire_server_runs_when_switched_on()
    {
        app.Services.GetServices<IHostedService>().ShouldContain(service => service.GetType().Name == "BackgroundJobServerHostedService");
    }
}

public class DefaultShutdownTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public void Without_configuration_the_shutdown_timeout_is_30_seconds()
    {
        app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(30));
    }
}
