using CustomerInfo.Application.Tenants.EndTrials;
using CustomerInfo.Application.Tenants.EraseCanceledTenants;
using Hangfire;
using Microsoft.Extensions.Hosting;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Registers the recurring jobs where the Hangfire server runs, at start-up. AddOrUpdate keeps one
/// entry per id, so every replica and restart may do it; it writes rows, never the schema.
/// </summary>
internal sealed class RecurringJobs(IRecurringJobManager jobs) : IHostedService
{
    public const string TrialsEnded = "trials-ended";
    public const string CanceledTenantsErased = "canceled-tenants-erased";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<MediatorJob>(TrialsEnded, job => job.RunAsync(new EndTrialsCommand(), CancellationToken.None), Cron.Hourly);
        jobs.AddOrUpdate<MediatorJob>(CanceledTenantsErased, "default", job => job.RunAsync(new EraseCanceledTenantsCommand(), CancellationToken.None), Cron.Daily);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
