using CustomerInfo.Application.Billing.Run;
using CustomerInfo.IntegrationTests.Tenants;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Billing;

public class BillingRunJobTests
{
    [Fact]
    public async Task Where_jobs_run_the_billing_run_is_registered_on_the_billing_queue_with_its_cron()
    {
        await using var app = new JobServerApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
            var job = connection.GetRecurringJobs().Single(j => j.Id == "billing-run");

            job.Cron.ShouldBe("30 2 * * *");
            job.Job.Queue.ShouldBe("billing");
            job.TimeZoneId.ShouldBe("UTC");
            job.Job.Args.ShouldContain(a => a is RunBillingCommand);
            // The dashboard names a job by its command (JobDisplayName "{0}").
            new RunBillingCommand().ToString().ShouldBe("Billing run");
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
