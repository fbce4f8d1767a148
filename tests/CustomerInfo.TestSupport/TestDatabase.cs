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

    /// <summary>A database with the app's schema already in it, copied from the run's template (<see cref="SchemaTemplate"/>).</summary>
    public static async Task<TestDatabase> CreateAsync() => await CreateAsync(await SchemaTemplate.NameAsync());

    /// <summary>A database with nothing in it: for tests of schema set-up itself, and of stores of their own.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => CreateAsync(template: null);

    private static async Task<TestDatabase> CreateAsync(string? template)
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            var from = template is null ? string.Empty : $" template \"{template}\"";
            await using var command = new NpgsqlCommand($"create database \"{name}\"{from}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(name, ConnectionStringOf(name));
    }

    internal static string ConnectionStringOf(string name) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;

    internal static TestDatabase Existing(string name) => new(name, ConnectionStringOf(name));

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
