using Hangfire.PostgreSql;
using JasperFx.CommandLine.Descriptions;
using JasperFx.Resources;
using Npgsql;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Lets <c>resources setup</c> (the migration step before a rollout) create Hangfire's schema,
/// so production processes never change the schema themselves.
/// </summary>
internal sealed class HangfireSchemaResource(string connectionString) : StatefulResourceBase(
    "Hangfire", HangfireConfiguration.SchemaName, new Uri("customerinfo://jobs"), new Uri("postgresql://hangfire"))
{
    public override async Task Setup(CancellationToken token)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(token);
        PostgreSqlObjectsInstaller.Install(connection, HangfireConfiguration.SchemaName);
    }

    public override async Task Check(CancellationToken token)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(token);
        await using var command = new NpgsqlCommand("select 1 from information_schema.tables where table_schema = @schema and table_name = 'job'", connection);
        command.Parameters.AddWithValue("schema", HangfireConfiguration.SchemaName);
        if (await command.ExecuteScalarAsync(token) is null)
        {
            throw new InvalidOperationException($"Hangfire's schema '{HangfireConfiguration.SchemaName}' has not been created: run 'resources setup'.");
        }
    }
}

/// <summary>
/// JasperFx's <c>resources</c> commands only find resources through registered system parts
/// (a bare <see cref="IStatefulResource"/> registration is ignored), so Hangfire's schema is one.
/// </summary>
internal sealed class HangfireSystemPart(string connectionString) : SystemPartBase("Hangfire", new Uri("customerinfo://jobs"))
{
    public override ValueTask<IReadOnlyList<IStatefulResource>> FindResources() =>
        ValueTask.FromResult<IReadOnlyList<IStatefulResource>>([new HangfireSchemaResource(connectionString)]);
}
