using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.Web.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.UnitTests.Web.Hosting;

public class HostingConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Known_networks_are_read_from_a_list_or_one_comma_separated_value()
    {
        var list = IngressForwardedHeaders.KnownNetworks(Configuration(
            ("App:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8"),
            ("App:ForwardedHeaders:KnownNetworks:1", "fd00::/8")));
        var single = IngressForwardedHeaders.KnownNetworks(Configuration(("App:ForwardedHeaders:KnownNetworks", "10.0.0.0/8, 172.16.0.0/12")));

        list.Select(n => n.ToString()).ShouldBe(["10.0.0.0/8", "fd00::/8"]);
        single.Select(n => n.ToString()).ShouldBe(["10.0.0.0/8", "172.16.0.0/12"]);
        IngressForwardedHeaders.KnownNetworks(Configuration()).ShouldBeEmpty();
    }

    [Fact]
    public void A_known_network_that_is_not_a_cidr_range_stops_the_app_from_starting()
    {
        Should.Throw<InvalidOperationException>(() => IngressForwardedHeaders.KnownNetworks(Configuration(("App:ForwardedHeaders:KnownNetworks", "10.0.0.0/33"))))
            .Message.ShouldContain("10.0.0.0/33");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("100000")]
    public void A_shutdown_timeout_out_of_range_stops_the_app_from_starting(string seconds)
    {
        Should.Throw<InvalidOperationException>(() => new ServiceCollection().AddGracefulShutdown(Configuration((GracefulShutdown.TimeoutKey, seconds))))
            .Message.ShouldContain(GracefulShutdown.TimeoutKey);
    }

    [Theory]
    [InlineData(30, 20, 25)]
    [InlineData(110, 100, 105)]
    [InlineData(6, 4, 5)]
    public void Running_jobs_get_the_host_shutdown_time_less_a_margin_before_they_are_cancelled_and_requeued(int host, int stop, int shutdown)
    {
        var options = new BackgroundJobServerOptions();

        HangfireConfiguration.UseShutdownTimeout(options, TimeSpan.FromSeconds(host));

        options.StopTimeout.ShouldBe(TimeSpan.FromSeconds(stop));
        options.ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(shutdown));
    }

    [Fact]
    public void A_job_whose_worker_died_is_taken_again_within_a_minute_and_a_long_running_one_is_not_taken_twice()
    {
        var options = HangfireConfiguration.StorageOptions(applySchemaChanges: false);

        // Hangfire.PostgreSql's default is 30 minutes: a push in flight when its worker was killed waited that long (the worker-kill drill).
        options.InvisibilityTimeout.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        options.UseSlidingInvisibilityTimeout.ShouldBeTrue();
        // A worker killed inside a job's state change leaves its lock behind; the default 10 minutes kept that job from starting.
        options.DistributedLockTimeout.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        options.PrepareSchemaIfNecessary.ShouldBeFalse();
    }
}
