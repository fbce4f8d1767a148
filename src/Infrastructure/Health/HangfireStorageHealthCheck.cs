using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerInfo.Infrastructure.Health;

internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy(
                "Hangfire storage answers.",
                new Dictionary<string, object> { ["servers"] = statistics.Servers, ["enqueued"] = statistics.Enqueued, ["failed"] = statistics.Failed }));
        }
        catch (Exception exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage does not answer.", exception));
        }
    }
}
