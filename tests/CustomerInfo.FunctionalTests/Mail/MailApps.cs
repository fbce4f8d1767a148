using System.Net;
using System.Net.Sockets;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Mail;

/// <summary>The app with its Hangfire server on, sending mail to a fake SMTP server that wants AUTH.</summary>
public sealed class MailApp : AppFactory
{
    public const string SmtpUser = "mailer";
    public const string SmtpPassword = "not-a-real-password";

    public FakeSmtpServer Smtp { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Hangfire:Server:Enabled", "true"), .. Smtp.Settings];

    public override async Task InitializeAsync()
    {
        Smtp = await FakeSmtpServer.StartAsync(SmtpUser, SmtpPassword);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>The app writing mail to a pickup directory instead of sending it.</summary>
public sealed class PickupMailApp : AppFactory
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "customerinfo-mail-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Hangfire:Server:Enabled", "true"), new("Smtp:PickupDirectory", Directory)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

/// <summary>The app pointed at a port where nothing listens: every send is refused a connection.</summary>
public sealed class UnreachableMailApp : AppFactory
{
    private readonly int port = ClosedPort();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Hangfire:Server:Enabled", "true"), new("Smtp:Host", "127.0.0.1"), new("Smtp:Port", $"{port}"), new("Smtp:Security", "None")];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>What the tests read about mail and its jobs, straight from the database.</summary>
public static class MailJobs
{
    public static async Task<Guid> QueueAsync(this AppFactory app, OutgoingMail mail) =>
        await app.Services.GetRequiredService<IMailOutbox>().QueueAsync(mail, CancellationToken.None);

    public static async Task<QueuedMail?> QueuedAsync(this AppFactory app, Guid mailId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<QueuedMail>(mailId);
    }

    /// <summary>Hangfire's stored jobs that name <paramref name="mailId"/>: id, arguments, invocation data.</summary>
    public static async Task<IReadOnlyList<(long Id, string Arguments, string Invocation)>> JobsForAsync(this AppFactory app, Guid mailId)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id, arguments, invocationdata from hangfire.job where arguments::text like @id order by id", connection);
        command.Parameters.AddWithValue("id", $"%{mailId}%");
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new List<(long, string, string)>();
        while (await reader.ReadAsync())
        {
            jobs.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return jobs;
    }

    /// <summary>The names of a job's states so far, oldest first (Enqueued, Processing, Failed, Scheduled, ...).</summary>
    public static async Task<IReadOnlyList<string>> StatesAsync(this AppFactory app, long jobId)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select name from hangfire.state where jobid = @id order by id", connection);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }

        return states;
    }

    public static async Task<string?> LastStateAsync(this AppFactory app, long jobId) =>
        await app.StatesAsync(jobId) is [.., var last] ? last : null;

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30, Func<Task<string>>? explain = null)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"Not within {seconds} s: {what}" + (explain is null ? "" : "\n" + await explain()));
            }

            await Task.Delay(200);
        }
    }
}
