using CustomerInfo.TestSupport;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Observability;

/// <summary>
/// Every test app's stored Hangfire jobs are scanned when its class is done (issue 14 §7): job
/// arguments are ids only. This proves the scan sees a job that breaks the rule.
/// </summary>
public class StoredJobLeakTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_job_whose_arguments_hold_an_email_address_or_a_secret_is_found()
    {
        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        var withEmail = jobs.Enqueue(() => Console.WriteLine("shopper.one@example.test"));
        var withSecret = jobs.Enqueue(() => Console.WriteLine("sk_test_51Hx0aBcDeFgHiJkLmN"));

        try
        {
            var leaks = await AppFactory.JobLeaksAsync(app.Database);

            leaks.Count.ShouldBe(2);
            leaks.ShouldContain(l => l.Contains("shopper.one@example.test", StringComparison.Ordinal));
            leaks.ShouldContain(l => l.StartsWith("job: a secret", StringComparison.Ordinal) && !l.Contains("sk_test_51Hx0aBcDeFgHiJkLmN", StringComparison.Ordinal));
        }
        finally
        {
            await DeleteAsync(withEmail, withSecret);
        }

        (await AppFactory.JobLeaksAsync(app.Database)).ShouldBeEmpty();
    }

    private async Task DeleteAsync(params string[] jobIds)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("delete from hangfire.job where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", jobIds.Select(long.Parse).ToArray());
        await command.ExecuteNonQueryAsync();
    }
}
