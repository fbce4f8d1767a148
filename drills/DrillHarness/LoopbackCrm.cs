using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DrillHarness;

public enum CrmMode
{
    /// <summary>Verifies and stores every delivery, answers 204.</summary>
    Up,

    /// <summary>Listening, but every delivery gets 503 (an overloaded CRM).</summary>
    Unavailable,

    /// <summary>Not listening: connections are refused (a CRM that is gone).</summary>
    Refusing,

    /// <summary>Stores each delivery and answers 204 after two seconds, so pushes are in flight long enough to be cut.</summary>
    Slow,
}

/// <summary>One delivery the receiver verified and stored.</summary>
public sealed record Delivery(string WebhookId, string Type, Guid? SignUpId, DateTimeOffset ReceivedAt);

/// <summary>
/// A retailer's CRM behind the signed webhook, on 127.0.0.1: it checks each delivery as
/// docs/webhooks.md tells receivers to (the three Standard Webhooks headers, a timestamp within five
/// minutes, the HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>) with its own code, and keeps every
/// genuine one, duplicates included, so the check can tell a retried delivery (same id) from a
/// second delivery (another id) of one sign-up.
/// </summary>
public sealed class LoopbackCrm(int port) : IDisposable
{
    private readonly ConcurrentQueue<Delivery> deliveries = new();
    private readonly SemaphoreSlim switching = new(1, 1);
    private WebApplication? app;
    private CrmMode mode = CrmMode.Up;
    private long refusedSignatures;
    private long answered503;

    public string Url => $"http://127.0.0.1:{port}/hook";

    public string? Secret { get; set; }

    public IReadOnlyCollection<Delivery> Deliveries => deliveries.ToArray();

    public long BadSignatures => Interlocked.Read(ref refusedSignatures);

    public CrmMode Mode => mode;

    /// <summary>Refusing stops listening; Up and Unavailable listen again on the same port.</summary>
    public async Task SetModeAsync(CrmMode value)
    {
        await switching.WaitAsync();
        try
        {
            if (value == CrmMode.Refusing)
            {
                await StopAsync();
            }
            else if (app is null)
            {
                await StartAsync();
            }

            mode = value;
        }
        finally
        {
            switching.Release();
        }
    }

    public void Dispose() => switching.Dispose();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var started = builder.Build();
        started.MapPost("/hook", ReceiveAsync);
        await started.StartAsync();
        app = started;
    }

    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    public string Describe()
    {
        var all = Deliveries;
        return string.Create(CultureInfo.InvariantCulture,
            $"crm: {mode}, {all.Count} deliveries stored, {all.Select(d => d.WebhookId).Distinct().Count()} distinct ids, {Interlocked.Read(ref answered503)} answered 503, {BadSignatures} bad signatures");
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        if (mode == CrmMode.Unavailable)
        {
            Interlocked.Increment(ref answered503);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (mode == CrmMode.Slow)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted);
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!Genuine(Secret, id, timestamp, signature, body))
        {
            Interlocked.Increment(ref refusedSignatures);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var json = JsonDocument.Parse(body);
        var type = json.RootElement.GetProperty("type").GetString() ?? "";
        Guid? signUp = json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("signUpId", out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var parsed)
            ? parsed
            : null;
        deliveries.Enqueue(new Delivery(id, type, signUp, DateTimeOffset.UtcNow));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Standard Webhooks: v1 = base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" with the secret after "whsec_", within five minutes.</summary>
    private static bool Genuine(string? secret, string id, string timestamp, string signatures, string body)
    {
        if (secret is null || !secret.StartsWith("whsec_", StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var given = new byte[64];
            if (candidate.StartsWith("v1,", StringComparison.Ordinal) && Convert.TryFromBase64String(candidate[3..], given, out var length)
                && CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, length)))
            {
                return true;
            }
        }

        return false;
    }
}
