using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CustomerInfo.TestSupport;

/// <summary>
/// A real SMTP server on 127.0.0.1 (a port the OS picks) for the app under test. It checks what a
/// real one checks: AUTH when <see cref="Username"/> is set, the syntax of sender and recipients
/// (SMTP's own grammar), and that the data is a MIME message; and it keeps each accepted message.
/// Point an app at it with <see cref="Settings"/>; make it refuse with <see cref="RefuseWith"/>.
/// </summary>
public sealed partial class FakeSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> messages = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SmtpServer.SmtpServer server;
    private readonly Task running;

    private FakeSmtpServer(string? username, string? password, TaskCompletionSource<int> port)
    {
        Username = username;
        Password = password;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("fake-smtp.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)).AuthenticationRequired(username is not null).AllowUnsecureAuthentication())
            .Build();
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => port.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(this));
        services.Add(new Filter(this));
        if (username is not null)
        {
            services.Add(new SmtpServer.Authentication.DelegatingUserAuthenticator((user, pass) => user == username && pass == password));
        }

        server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stopping.Token);
    }

    public int Port { get; private set; }

    public string? Username { get; }

    public string? Password { get; }

    /// <summary>When set, every MAIL FROM is answered with this reply (e.g. 451), and nothing is kept.</summary>
    public SmtpResponse? RefuseWith { get; set; }

    /// <summary>The messages accepted so far, oldest first.</summary>
    public IReadOnlyCollection<MimeMessage> Messages => messages;

    /// <summary>Settings that send an app's mail here (in plain text: the fake offers no STARTTLS).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Smtp:Host", "127.0.0.1"),
        new("Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Smtp:Security", "None"),
        new("Smtp:From", "CustomerInfo <noreply@customerinfo.test>"),
        new("Smtp:Username", Username),
        new("Smtp:Password", Password),
        new("Smtp:TimeoutSeconds", "10"),
    ];

    /// <summary>Starts a server; with a user name and password it refuses mail from clients that did not AUTH with them.</summary>
    public static async Task<FakeSmtpServer> StartAsync(string? username = null, string? password = null)
    {
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new FakeSmtpServer(username, password, port);
        fake.Port = await port.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return fake;
    }

    /// <summary>The first message received that matches, waiting for it to arrive (30 s unless told).</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (messages.FirstOrDefault(match) is { } message)
            {
                return message;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No matching mail arrived at the fake SMTP server in time ({messages.Count} other(s) did).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The message whose Message-ID the app made from <paramref name="mailId"/>, waiting for it.</summary>
    public Task<MimeMessage> WaitForMailAsync(Guid mailId, TimeSpan? timeout = null) =>
        WaitForMessageAsync(m => m.MessageId?.StartsWith($"{mailId:N}@", StringComparison.Ordinal) == true, timeout);

    /// <summary>The links (http and https) in a message's plain-text part, in order.</summary>
    public static IReadOnlyList<Uri> Links(MimeMessage message) =>
        [.. Link().Matches(message.TextBody ?? "").Select(m => new Uri(m.Value))];

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        server.Shutdown();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();

    private sealed class Filter(FakeSmtpServer fake) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            fake.RefuseWith is { } refusal ? throw new SmtpResponseException(refusal) : Task.FromResult(Valid(from));

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(Valid(to));

        /// <summary>SMTP's grammar let it through; a real server also wants a user and a domain with a dot or "localhost".</summary>
        private static bool Valid(IMailbox mailbox) =>
            !string.IsNullOrEmpty(mailbox.User) && (mailbox.Host.Contains('.', StringComparison.Ordinal) || mailbox.Host == "localhost");
    }

    private sealed class Store(FakeSmtpServer fake) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            MimeMessage message;
            try
            {
                using var stream = new MemoryStream(buffer.ToArray());
                message = await MimeMessage.LoadAsync(stream, cancellationToken);
            }
            catch (FormatException)
            {
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.6.0 not a MIME message");
            }

            if (message.From.Count == 0 || message.Date == default || string.IsNullOrEmpty(message.MessageId))
            {
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "5.6.0 From, Date and Message-ID are required");
            }

            fake.messages.Enqueue(message);
            return SmtpResponse.Ok;
        }
    }
}
