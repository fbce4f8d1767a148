using CustomerInfo.Infrastructure.Persistence;
using Npgsql;

namespace CustomerInfo.UnitTests.Infrastructure;

public class PreparedStatementsTests
{
    [Fact]
    public void Statements_are_prepared_automatically_when_the_connection_string_does_not_say()
    {
        var builder = new NpgsqlConnectionStringBuilder(MartenConfiguration.WithPreparedStatements("Host=db;Username=app;Password=secret;Database=customerinfo"));

        builder.MaxAutoPrepare.ShouldBe(64);
        builder.AutoPrepareMinUsages.ShouldBe(2);
        builder.Host.ShouldBe("db");
        builder.Password.ShouldBe("secret");
        builder.Database.ShouldBe("customerinfo");
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;max auto prepare=10", 10)]
    public void A_connection_string_that_sets_it_wins(string connectionString, int expected)
    {
        new NpgsqlConnectionStringBuilder(MartenConfiguration.WithPreparedStatements(connectionString)).MaxAutoPrepare.ShouldBe(expected);
    }
}
