using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.FunctionalTests.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Observability;

/// <summary>The app with every log message of every category captured, down to Trace.</summary>
public sealed class AppWithCapturedLogs : AppFactory
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging
            .AddProvider(new CapturingLoggerProvider(Lines))
            .AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {properties} {exception}");
        }
    }
}

public class LoggingTests(AppWithCapturedLogs app) : IClassFixture<AppWithCapturedLogs>
{
    [Fact]
    public async Task Marten_statements_are_logged_down_to_trace_without_their_values()
    {
        await app.AddStoreAsync("statements", "Statements Store");
        await app.SendAsync("statements", new PublishFormDefinitionCommand(DemoForm.Definition));
        var kiosk = new Kiosk(app.ClientFor("statements.localhost"));
        await kiosk.OpenAsync();
        var stored = await kiosk.SubmitAsync(Kiosk.Fields(("Command.SubmissionId", Guid.NewGuid().ToString()), ("Command.FirstName", "Wilhelmina"), ("Command.Email", "wilhelmina.trace@example.com")));
        stored.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var lines = app.Lines.ToArray();
        lines.ShouldContain(line => line.Contains("Marten executed: insert into customerinfo.mt_events", StringComparison.Ordinal));
        lines.ShouldNotContain(line => line.Contains("wilhelmina", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_refused_sign_up_is_validated_and_its_rejection_logged_once()
    {
        await app.AddStoreAsync("refused", "Refused Store");
        await app.SendAsync("refused", new PublishFormDefinitionCommand(DemoForm.Definition));
        var kiosk = new Kiosk(app.ClientFor("refused.localhost"));
        await kiosk.OpenAsync();
        int Rejections() => app.Lines.Count(line => line.Contains("Rejected SubmitSignUpCommand as invalid", StringComparison.Ordinal));
        var before = Rejections();

        // Taken before MVC (ADR 35), refused by the validator there, and shown again by the page with that refusal.
        var page = await AppFactory.ReadAsync(await kiosk.SubmitAsync(Kiosk.Fields(("Command.Email", "ann@gmail"))), HttpStatusCode.UnprocessableEntity);

        page.ShouldContain(WebUtility.HtmlEncode("Enter an email address like name@example.com."));
        Rejections().ShouldBe(before + 1);
    }

    [Fact]
    public async Task Neither_the_connection_string_nor_passwords_are_ever_logged()
    {
        await app.AddStoreAsync("logged", "Logged Store");
        await app.ClientFor("logged.localhost").GetAsync("/");
        await app.ClientFor("nowhere.localhost").GetAsync("/");
        await app.ClientFor("localhost").GetAsync("/health/ready");
        var owner = app.ClientFor("localhost");
        await Forms.SignInOwnerAsync(owner);
        await owner.GetAsync("/hangfire");
        await Forms.PostAsync(app.ClientFor("localhost"), "/owner/signin", new Dictionary<string, string>
        {
            ["Command.Email"] = AppFactory.OwnerEmail,
            ["Command.Password"] = "a wrong password that must not be logged",
        });

        var lines = app.Lines.ToArray();
        lines.Length.ShouldBeGreaterThan(10);
        var database = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString);
        lines.ShouldNotContain(line => line.Contains(app.Database.ConnectionString, StringComparison.OrdinalIgnoreCase));
        lines.ShouldNotContain(line => line.Contains("Password=", StringComparison.OrdinalIgnoreCase));
        lines.ShouldNotContain(line => line.Contains(database.Password!, StringComparison.Ordinal));
        lines.ShouldNotContain(line => line.Contains(AppFactory.OwnerPassword, StringComparison.Ordinal));
        lines.ShouldNotContain(line => line.Contains("a wrong password", StringComparison.Ordinal));
        lines.ShouldNotContain(line => line.Contains(AppFactory.OwnerEmail, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Json_logs_carry_a_utc_iso_timestamp_and_the_request_scopes()
    {
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        var scopes = new LoggerExternalScopeProvider();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        using (scopes.Push(new Dictionary<string, object> { ["TraceId"] = "4bf92f3577b34da6a3ce929d0e0e4736", ["RequestPath"] = "/" }))
        {
            var entry = new LogEntry<string>(LogLevel.Information, "CustomerInfo.Test", new EventId(1), "hello", null, (s, _) => s);
            formatter.Write(in entry, scopes, writer);
        }

        var json = JsonDocument.Parse(writer.ToString()).RootElement;
        var timestamp = json.GetProperty("Timestamp").GetString()!;
        timestamp.ShouldEndWith("Z");
        DateTimeOffset.ParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            .ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        json.GetProperty("Scopes")[0].GetProperty("TraceId").GetString().ShouldBe("4bf92f3577b34da6a3ce929d0e0e4736");
        json.GetProperty("Message").GetString().ShouldBe("hello");
    }
}
