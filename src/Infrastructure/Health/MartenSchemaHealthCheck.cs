using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerInfo.Infrastructure.Health;

/// <summary>Ready only when the database holds every table, function and index this build expects.</summary>
internal sealed class MartenSchemaHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync(cancellationToken);
            return HealthCheckResult.Healthy("Marten schema is up to date.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Marten schema is missing or out of date.", exception);
        }
    }
}
