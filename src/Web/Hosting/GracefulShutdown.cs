namespace CustomerInfo.Web.Hosting;

/// <summary>
/// On SIGTERM the host stops taking connections, lets running requests finish and stops the
/// Hangfire server, for at most <c>App:ShutdownTimeoutSeconds</c>. Kubernetes waits
/// terminationGracePeriodSeconds in total, which includes the web pods' preStop sleep, so the
/// manifests set this to the grace period minus the preStop sleep minus a margin.
/// </summary>
public static class GracefulShutdown
{
    public const string TimeoutKey = "App:ShutdownTimeoutSeconds";
    public const int DefaultTimeoutSeconds = 30;

    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        var seconds = configuration.GetValue(TimeoutKey, DefaultTimeoutSeconds);
        if (seconds is < 1 or > 3600)
        {
            throw new InvalidOperationException($"{TimeoutKey} must be between 1 and 3600 seconds; it is {seconds}.");
        }

        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(seconds));
        return services;
    }
}
