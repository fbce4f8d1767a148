using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Listens on PostgreSQL for <see cref="PostgresTenantChanges.Channel"/> and makes this pod's caches
/// forget the tenant named. One connection per pod, held open. After any break the caches are
/// emptied (what was announced meanwhile is lost) and the connection is opened again, waiting a
/// little longer each time up to <see cref="MaxBackoff"/>.
/// </summary>
internal sealed partial class TenantChangeListener(string connectionString, PostgresTenantChanges changes, ILogger<TenantChangeListener> logger) : BackgroundService
{
    /// <summary>
    /// Its own connection, outside the pool (a pooled connection is reset when returned, which ends
    /// LISTEN), with keepalives, so a connection that died silently is noticed instead of waited on forever.
    /// </summary>
    private readonly string listenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        KeepAlive = 15,
        ApplicationName = "customerinfo-store-changes",
    }.ConnectionString;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Set once LISTEN is in place; tests wait on it before they change anything.</summary>
    public Task Listening => listening.Task;

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listenerConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresTenantChanges.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                changes.ForgetAll();
                listening.TrySetResult();
                backoff = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                changes.ForgetAll();
                LogLost(ex, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void Heard(string payload)
    {
        if (Guid.TryParseExact(payload, "N", out var tenantId))
        {
            changes.Forget(tenantId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the tenant-change announcements; caches emptied, listening again in {Seconds} s")]
    private partial void LogLost(Exception exception, double seconds);
}
