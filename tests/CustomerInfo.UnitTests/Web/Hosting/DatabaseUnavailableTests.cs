using System.Net.Sockets;
using CustomerInfo.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CustomerInfo.UnitTests.Web.Hosting;

public class DatabaseUnavailableTests
{
    private static async Task<HttpContext> SendAsync(Exception thrown, string? accept = null, string? acceptLanguage = null)
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Accept = accept;
        context.Request.Headers.AcceptLanguage = acceptLanguage;
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

    private static string Body(HttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Fact]
    public async Task A_browser_gets_a_page_in_its_language_and_a_script_plain_text()
    {
        var dutch = await SendAsync(Outage("restart"), accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", acceptLanguage: "nl-NL,nl;q=0.9,en;q=0.5");
        dutch.Response.ContentType.ShouldBe("text/html; charset=utf-8");
        var page = Body(dutch);
        page.ShouldStartWith("<!DOCTYPE html><html lang=\"nl\">");
        page.ShouldContain("<h1>Zo weer terug</h1>");
        page.ShouldContain("Probeer het over een paar seconden opnieuw");

        var english = await SendAsync(Outage("unreachable"), accept: "text/html", acceptLanguage: "de-DE,de;q=0.9,en-GB;q=0.8");
        Body(english).ShouldContain("<h1>Back in a moment</h1>"); // German is not offered: the next the browser asks for

        var script = await SendAsync(Outage("pool exhausted"), accept: "application/json", acceptLanguage: "nl");
        script.Response.ContentType.ShouldBe("text/plain; charset=utf-8");
        Body(script).ShouldStartWith("Zo weer terug. De dienst is even bezet");
    }

    [Fact]
    public async Task A_request_the_database_refuses_is_not_answered_as_unavailable()
    {
        var duplicate = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");

        (await Should.ThrowAsync<PostgresException>(() => SendAsync(duplicate))).SqlState.ShouldBe("23505");
        await Should.ThrowAsync<InvalidOperationException>(() => SendAsync(new InvalidOperationException("a bug")));
    }
}
