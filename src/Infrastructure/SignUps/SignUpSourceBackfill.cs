using CustomerInfo.Infrastructure.Persistence;
using JasperFx.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerInfo.Infrastructure.SignUps;

/// <summary>
/// Sign-up summaries stored before a column existed have no value in it, though their JSON says (or,
/// by leaving the field out, implies) what it is; the list's filters compare the columns, so they
/// are set from the JSON: <c>source</c> to Kiosk (summaries from before imports), <c>crm_status</c>
/// and <c>crm_updated_at</c> from CrmStatus and CrmUpdatedAt (summaries from before the CRM push;
/// no CrmStatus is 0, Waiting: they wait for the store's CRM like every sign-up). Safe to repeat.
/// Runs in the migration step, and at start-up where the schema is applied at start-up.
/// </summary>
public sealed class SignUpSourceBackfill(string connectionString)
{
    public static readonly string SummaryTable = $"{MartenConfiguration.SchemaName}.mt_doc_signupsummary";

    /// <returns>How many summaries were given their source, then how many their push status.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        (await RunEachAsync(cancellationToken)).Sum(count => count);

    /// <returns>How many summaries each backfill changed: the source, the push status.</returns>
    public async Task<IReadOnlyList<int>> RunEachAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return
        [
            await BackfillAsync(connection, ["source"], $"update {SummaryTable} set source = 0 where source is null", cancellationToken),
            await BackfillAsync(
                connection,
                ["crm_status", "crm_updated_at"],
                $"""
                update {SummaryTable}
                set crm_status = coalesce((data ->> 'CrmStatus')::integer, 0),
                    crm_updated_at = (data ->> 'CrmUpdatedAt')::timestamptz
                where crm_status is null or (crm_updated_at is null and data ->> 'CrmUpdatedAt' is not null)
                """,
                cancellationToken),
        ];
    }

    private static async Task<int> BackfillAsync(NpgsqlConnection connection, string[] columns, string update, CancellationToken cancellationToken)
    {
        // Not there yet: a new database, or (at start-up outside Production) one whose summary table
        // Marten widens on first use; the next run does it.
        await using var exists = new NpgsqlCommand(
            "select count(*) = cardinality(@columns) from information_schema.columns where table_schema = @schema and table_name = 'mt_doc_signupsummary' and column_name = any(@columns)", connection);
        exists.Parameters.AddWithValue("schema", MartenConfiguration.SchemaName);
        exists.Parameters.AddWithValue("columns", columns);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        await using var backfill = new NpgsqlCommand(update, connection) { CommandTimeout = 0 };
        return await backfill.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary><c>resources setup</c> (the migration Job) gives old sign-up summaries their source and push status before a rollout.</summary>
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
