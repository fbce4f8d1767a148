using CustomerInfo.Infrastructure.Persistence;
using JasperFx.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerInfo.Infrastructure.SignUps;

/// <summary>
/// Sign-up summaries stored before imports existed have no <c>source</c> column value (their JSON has
/// no Source, which reads as Kiosk): the column is set to Kiosk for them, so the list's "kiosk" filter,
/// which compares the column, finds them. Safe to repeat. Runs in the migration step, and at start-up
/// where the schema is applied at start-up.
/// </summary>
public sealed class SignUpSourceBackfill(string connectionString)
{
    public static readonly string SummaryTable = $"{MartenConfiguration.SchemaName}.mt_doc_signupsummary";

    /// <returns>How many summaries were given their source.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Not there yet: a new database, or (at start-up outside Production) one whose summary table
        // Marten widens on first use; the next run does it.
        await using var exists = new NpgsqlCommand(
            "select exists (select 1 from information_schema.columns where table_schema = @schema and table_name = 'mt_doc_signupsummary' and column_name = 'source')", connection);
        exists.Parameters.AddWithValue("schema", MartenConfiguration.SchemaName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        await using var backfill = new NpgsqlCommand($"update {SummaryTable} set source = 0 where source is null", connection) { CommandTimeout = 0 };
        return await backfill.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary><c>resources setup</c> (the migration Job) gives old sign-up summaries their source before a rollout.</summary>
internal sealed class SignUpSourceBackfillResource(IServiceProvider services) : StatefulResourceBase(
    "Data", "signup-source", new Uri("customerinfo://signups"), new Uri("postgresql://signup-source"))
{
    public override Task Setup(CancellationToken token) =>
        services.GetRequiredService<SignUpSourceBackfill>().RunAsync(token);

    public override Task Check(CancellationToken token) => Task.CompletedTask;
}

internal sealed class SignUpSourceBackfillSystemPart(IServiceProvider services) : JasperFx.CommandLine.Descriptions.SystemPartBase("Sign-ups", new Uri("customerinfo://signups"))
{
    public override ValueTask<IReadOnlyList<IStatefulResource>> FindResources() =>
        ValueTask.FromResult<IReadOnlyList<IStatefulResource>>([new SignUpSourceBackfillResource(services)]);
}

/// <summary>Where the schema is applied at start-up (not Production), the backfill runs then too.</summary>
internal sealed class SignUpSourceBackfillAtStartup(SignUpSourceBackfill backfill) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => backfill.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
