using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace CustomerInfo.TestSupport;

/// <summary>
/// One database per build with the app's whole schema applied (Marten's tables, functions and event
/// store, Hangfire's), which every test database is copied from (<c>CREATE DATABASE … TEMPLATE</c>).
/// Applying the schema costs seconds of PostgreSQL's time per app; copying a database costs a fraction
/// of that, and about a hundred test classes each start an app. The app under test still checks the
/// schema at start-up, so a copy that did not match would be brought up to date, not trusted.
/// The template's name holds the build's assembly ids: a new build makes a new template, and the
/// test processes that run side by side (unit, integration, functional, browser) take turns building it.
/// Templates are never dropped here, since another build's tests (Debug beside Release) may be copying
/// from theirs; <c>./build.sh test</c> drops them all before its run, when it is the only one.
/// </summary>
public static class SchemaTemplate
{
    /// <summary>Any fixed number: the advisory lock the test processes take turns on.</summary>
    private const long BuildLock = 7_315_204_118;

    private static readonly Lazy<Task<string>> Template = new(EnsureAsync);

    public static Task<string> NameAsync() => Template.Value;

    private static async Task<string> EnsureAsync()
    {
        var name = "test_template_" + BuildId();
        await using var connection = new NpgsqlConnection(TestDatabase.AdminConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"select pg_advisory_lock({BuildLock})");
        try
        {
            await using var exists = new NpgsqlCommand("select count(*) from pg_database where datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                await BuildAsync(connection, name);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"select pg_advisory_unlock({BuildLock})");
        }

        return name;
    }

    /// <summary>Made under a temporary name and renamed when complete, so no copy is ever taken of half a schema.</summary>
    private static async Task BuildAsync(NpgsqlConnection admin, string name)
    {
        var building = name + "_building";
        await ExecuteAsync(admin, $"drop database if exists \"{building}\" with (force)");
        await ExecuteAsync(admin, $"create database \"{building}\"");
        var database = TestDatabase.Existing(building);
        await AppFactory.ApplySchemaAsync(database);
        await ForgetInstallationDataAsync(database);
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"alter database \"{building}\" rename to \"{name}\"");
    }

    /// <summary>
    /// The schema only: the Data Protection key the app made at start-up would otherwise be every test
    /// database's, and tests of key storage expect to see only the keys their own app made.
    /// </summary>
    private static async Task ForgetInstallationDataAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            do $$ begin
              if to_regclass('customerinfo.mt_doc_dataprotectionkey') is not null then
                delete from customerinfo.mt_doc_dataprotectionkey;
              end if;
            end $$
            """);
    }

    /// <summary>The ids of the assemblies that define the schema, and of this one (which builds it): they change with every build.</summary>
    private static string BuildId()
    {
        var ids = string.Join(',', new[] { typeof(Program), typeof(Infrastructure.DependencyInjection), typeof(Application.DependencyInjection), typeof(Domain.Tenants.Tenant), typeof(SchemaTemplate) }
            .Select(t => t.Assembly.ManifestModule.ModuleVersionId.ToString("N")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(ids)))[..16];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
