using CustomerInfo.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CustomerInfo.UnitTests.Infrastructure;

public class DatabaseLimitsTests
{
    private const string Given = "Host=db;Database=customerinfo;Username=app;Password=secret";

    private static IConfiguration Settings(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_web_role_waits_briefly_for_a_connection_and_a_query()
    {
        var applied = new NpgsqlConnectionStringBuilder(DatabaseLimits.Apply(Given, Settings(("Database:PoolWaitSeconds", "3"), ("Database:CommandTimeoutSeconds", "5"))));

        applied.Timeout.ShouldBe(3);
        applied.CommandTimeout.ShouldBe(5);
        applied.Host.ShouldBe("db");
        applied.Password.ShouldBe("secret");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_keeps_the_connection_string_as_it_is(string? value)
    {
        var given = Given + ";Timeout=7";

        DatabaseLimits.Apply(given, Settings(("Database:PoolWaitSeconds", value), ("Database:CommandTimeoutSeconds", value))).ShouldBe(given);
    }

    [Fact]
    public void One_key_alone_changes_only_its_value()
    {
        var applied = new NpgsqlConnectionStringBuilder(DatabaseLimits.Apply(Given + ";Command Timeout=12", Settings(("Database:PoolWaitSeconds", "4"))));

        applied.Timeout.ShouldBe(4);
        applied.CommandTimeout.ShouldBe(12);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1025")]
    [InlineData("3s")]
    [InlineData("2.5")]
    [InlineData("٣")]
    public void A_value_that_is_not_whole_seconds_from_1_to_1024_stops_the_start_with_its_name(string value)
    {
        var refused = Should.Throw<InvalidOperationException>(() => DatabaseLimits.Apply(Given, Settings(("Database:CommandTimeoutSeconds", value))));

        refused.Message.ShouldContain("Database:CommandTimeoutSeconds");
        refused.Message.ShouldNotContain("secret");
    }
}
