using CustomerInfo.Application.Import.ExpireUnstartedImports;
using CustomerInfo.Application.Shoppers.Retention;
using CustomerInfo.Application.Tenants.EndTrials;
using CustomerInfo.TestSupport;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

/// <summary>The app where the Hangfire server runs (the web process by default, the worker role in Kubernetes).</summary>
public sealed class JobServerApp : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Hangfire:Server:Enabled", "true")];
}

public class RecurringJobTests
{
    [Fact]
    public async Task Where_jobs_run_the_hourly_trial_job_is_registered()
    {
        await using var app = new JobServerApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
            var job = connection.GetRecurringJobs().Single(j => j.Id == "trials-ended");

            job.Cron.ShouldBe(Cron.Hourly());
            job.Job.Args.ShouldContain(a => a is EndTrialsCommand);
            job.Job.Type.Name.ShouldBe("MediatorJob");
            var retention = connection.GetRecurringJobs().Single(j => j.Id == "shopper-retention");
            retention.Cron.ShouldBe(Cron.Daily(3));
            retention.Job.Args.ShouldContain(a => a is ApplyRetentionCommand);
            var uploads = connection.GetRecurringJobs().Single(j => j.Id == "unstarted-imports-expired");
            uploads.Cron.ShouldBe(Cron.Hourly());
            uploads.Job.Args.ShouldContain(a => a is ExpireUnstartedImportsCommand);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task Where_jobs_do_not_run_no_recurring_job_is_registered()
    {
        await using var app = new AppFactory();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
            connection.GetRecurringJobs().ShouldBeEmpty();
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
