using System.Net.Sockets;
using CustomerInfo.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerInfo.UnitTests.Web.Hosting;

public class DatabaseUnavailableTests
{
    private static async Task<HttpContext> SendAsync(Exception thrown)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var middleware = new DatabaseUnavailable(_ => throw thrown, NullLogger<DatabaseUnavailable>.Instance);
        await middleware.InvokeAsync(context);
        return context;
    }

    public static TheoryData<string> Outages => ["restart", "unreachable", "pool exhausted", "too many connections", "statement timeout"];

    private static Exception Outage(string kind) => kind switch
    {
        // What a request in flight gets from `pg_ctl restart -m fast`, wrapped as Marten wraps it.
        "restart" => new InvalidOperationException("Marten command failed", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")),
        "unreachable" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        "pool exhausted" => new NpgsqlException("The connection pool has been exhausted, either raise 'Max Pool Size' (currently 8) or 'Timeout' (currently 15 seconds)", new TimeoutException()),
        "too many connections" => new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"),
        "statement timeout" => new PostgresException("canceling statement due to statement timeout", "ERROR", "ERROR", "57014"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task A_request_that_finds_the_database_unavailable_answers_503_with_retry_after(string kind)
    {
        var context = await SendAsync(Outage(kind));

        context.Response.StatusCode.ShouldBe(StatusCodes.Status503ServiceUnavailable);
        context.Response.Headers.RetryAfter.ToString().ShouldBe(DatabaseUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.Headers.CacheControl.ToString().ShouldBe("no-store");
    }

    [Fact]
    public async Task A_request_the_database_refuses_is_not_answered_as_unavailable()
    {
        var duplicate = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");

        (await Should.ThrowAsync<PostgresException>(() => SendAsync(duplicate))).SqlState.ShouldBe("23505");
        await Should.ThrowAsync<InvalidOperationException>(() => SendAsync(new InvalidOperationException("a bug")));
    }
}
