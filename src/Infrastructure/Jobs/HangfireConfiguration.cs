using CustomerInfo.Application.Common.Jobs;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Jobs;

public static class HangfireConfiguration
{
    public const string SchemaName = "hangfire";

    /// <summary>
    /// Queues in the order a worker takes them: mail first (someone is waiting for a sign-in link, and
    /// a send takes a second), then a sign-up waiting for its CRM.
    /// </summary>
    public static readonly string[] Queues = ["mail", "crm", "billing", "default"];

    /// <summary>The delay before each of Hangfire's retries of a job that threw.</summary>
    internal static readonly int[] RetryDelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];

    /// <summary>
    /// Hangfire's own retries for a job that threw, except a CRM push that gave up: its handler retried
    /// on its own schedule and stored the outcome, so it stays failed (and can be retried from the
    /// dashboard). What throws here is passing (the database restarting or timing out, an append that
    /// lost a race for a stream after the CRM took the contact): 10 attempts over about four hours,
    /// the first after <see cref="RetryDelaysInSeconds"/>[0] s, not Hangfire's default of about half a
    /// minute to a minute, so a sign-up waits seconds for its push, not minutes.
    /// </summary>
    public static readonly AutomaticRetryAttribute Retries = new()
    {
        Attempts = RetryDelaysInSeconds.Length,
        DelaysInSeconds = RetryDelaysInSeconds,
        ExceptOn = [typeof(Application.Crm.Push.CrmPushGaveUpException)],
    };

    /// <summary>
    /// How long a job fetched by a worker that then died (kill -9, an evicted pod, a lost node) stays
    /// hidden before another worker takes it. Hangfire.PostgreSql's default is 30 minutes, so a push in
    /// flight when the worker was killed reached the CRM half an hour late (found by the worker-kill
    /// drill, ADR 28). The sliding timeout keeps refreshing a running job's fetch time, so a job
    /// longer than this (the billing run, an import) is not taken twice while its worker lives.
    /// </summary>
    internal static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When a distributed lock left by a dead worker counts as abandoned. Hangfire takes one around each
    /// state change of a job; a worker killed inside one left the job unable to start for
    /// Hangfire.PostgreSql's default 10 minutes (the worker-kill drill). Hangfire holds these locks for
    /// milliseconds, and this app takes none of its own.
    /// </summary>
    internal static readonly TimeSpan DistributedLockTimeout = TimeSpan.FromMinutes(1);

    internal static PostgreSqlStorageOptions StorageOptions(bool applySchemaChanges) => new()
    {
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = applySchemaChanges,
        // A new job wakes a waiting worker through LISTEN/NOTIFY (ADR 19): a sign-up's push starts
        // within milliseconds, not at the next poll. The poll stays as the fallback.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        InvisibilityTimeout = InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = DistributedLockTimeout,
    };

    internal static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, string connectionString, bool applySchemaChanges)
    {
        var storageOptions = StorageOptions(applySchemaChanges);
        // Hangfire's filters are process-wide: replace its default retry filter with ours (each app
        // in one process does the same, so it stays one filter).
        GlobalJobFilters.Filters.Remove<AutomaticRetryAttribute>();
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .UseStorage(provider.GetRequiredService<PostgreSqlStorage>()));
        GlobalJobFilters.Filters.Add(Retries);

        // This app's own storage and activator, not Hangfire's process-wide JobStorage.Current: with
        // two apps in one process (the tests), a server could otherwise take the other app's jobs and
        // run them with the other app's services.
        services.AddSingleton(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddSingleton<JobStorage>(provider => provider.GetRequiredService<PostgreSqlStorage>());
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));

        services.AddSingleton<IBackgroundJobs, HangfireBackgroundJobs>();

        // The web process runs the server by default; a Kubernetes worker role is the same image with
        // only this switch on, and the web Deployment turns it off.
        if (configuration.GetValue("Hangfire:Server:Enabled", defaultValue: true))
        {
            services.AddHangfireServer((provider, options) =>
            {
                options.Queues = Queues;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                // A CRM push's retry is a scheduled job: look for due ones every 2 s (Hangfire's default is 15).
                options.SchedulePollingInterval = TimeSpan.FromSeconds(2);
                UseShutdownTimeout(options, provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            });
            services.AddHostedService<RecurringJobs>();
        }

        return services;
    }

    /// <summary>
    /// On SIGTERM the server stops fetching jobs at once. Running jobs get the host's shutdown time
    /// less a margin to finish; then their CancellationToken is cancelled, and a job that stops on it
    /// (or is still running when the process ends) goes back to its queue and runs again on another
    /// worker. Jobs are idempotent (they send commands keyed by ids), so a second run is safe.
    /// </summary>
    public static void UseShutdownTimeout(BackgroundJobServerOptions options, TimeSpan hostShutdownTimeout)
    {
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, hostShutdownTimeout.Ticks / 3));
        options.StopTimeout = hostShutdownTimeout - margin;
        options.ShutdownTimeout = hostShutdownTimeout - (margin / 2);
    }
}
