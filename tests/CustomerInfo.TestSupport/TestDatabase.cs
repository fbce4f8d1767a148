using Npgsql;

namespace CustomerInfo.TestSupport;

/// <summary>
/// A database of its own for one test class, on the PostgreSQL that ./build.sh test started
/// (its admin connection string is in CUSTOMERINFO_TEST_POSTGRES). Dropped when the class is done.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string AdminConnectionVariable = "CUSTOMERINFO_TEST_POSTGRES";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(AdminConnectionVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{AdminConnectionVariable} is not set: run the tests with ./build.sh test, which starts PostgreSQL and sets it.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 20 };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
