using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// A retailer's webhook receiver on 127.0.0.1: <c>POST /hook</c>. It checks every delivery the way
/// docs/webhooks.md tells receivers to, with its own code (not the app's): the three Standard
/// Webhooks headers are there, the timestamp is within five minutes, and the signature is the
/// HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> with <see cref="Secret"/>. A bad delivery gets 401 and
/// is not kept. Good ones are kept in <see cref="Deliveries"/>, duplicates (same <c>webhook-id</c>) included.
/// </summary>
public sealed class FakeWebhookReceiver : LoopbackHttpFake
{
    private readonly ConcurrentQueue<WebhookDelivery> deliveries = new();

    /// <summary>The secret the app showed when the webhook was connected; set it before deliveries arrive.</summary>
    public string? Secret { get; set; }

    public string Url => BaseUrl + "/hook";

    /// <summary>Set: a genuine delivery whose <c>data</c> it matches is refused with 422 (a receiver that rejects that contact) and not kept.</summary>
    public Func<JsonElement, bool>? Refuses { get; set; }

    public IReadOnlyList<WebhookDelivery> Deliveries => deliveries.ToArray();

    /// <summary>Deliveries with distinct ids: what a receiver that drops duplicates keeps.</summary>
    public IReadOnlyList<WebhookDelivery> Distinct => Deliveries.DistinctBy(d => d.Id).ToList();

    public static async Task<FakeWebhookReceiver> StartNewAsync(string? secret = null)
    {
        var receiver = new FakeWebhookReceiver { Secret = secret };
        await receiver.StartAsync();
        return receiver;
    }

    protected override void Map(IEndpointRouteBuilder routes) => routes.MapPost("/hook", async context =>
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signatures = context.Request.Headers["webhook-signature"].ToString();
        if (Verify(Secret, id, timestamp, signatures, body) is { } problem)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync(problem);
            return;
        }

        using var json = JsonDocument.Parse(body);
        if (Refuses is { } refuses && json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && refuses(data))
        {
            context.Response.StatusCode = 422;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("this contact is not accepted");
            return;
        }

        deliveries.Enqueue(new WebhookDelivery(id, long.Parse(timestamp, CultureInfo.InvariantCulture), json.RootElement.Clone(), DateTimeOffset.UtcNow));
        context.Response.StatusCode = 204;
    });

    protected override string ErrorBody(int status, string message) => JsonSerializer.Serialize(new { error = message });

    /// <summary>The receiver's check, written from the Standard Webhooks spec: null when the delivery is genuine, else why not.</summary>
    public static string? Verify(string? secret, string id, string timestamp, string signatures, string body)
    {
        if (secret is null || !secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return "no secret configured";
        }

        if (string.IsNullOrEmpty(id) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "missing webhook-id or webhook-timestamp";
        }

        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return "timestamp outside the tolerance";
        }

        using var hmac = new HMACSHA256(Convert.FromBase64String(secret[6..]));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = signature.Split(',', 2);
            var given = new byte[64];
            if (parts is ["v1", var value] && Convert.TryFromBase64String(value, given, out var length) && CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, length)))
            {
                return null;
            }
        }

        return "no valid signature";
    }
}

/// <summary>One signed delivery the receiver accepted: its id, timestamp and JSON payload.</summary>
public sealed record WebhookDelivery(string Id, long Timestamp, JsonElement Payload, DateTimeOffset ReceivedAt)
{
    public string Type => Payload.GetProperty("type").GetString()!;

    public JsonElement Data => Payload.GetProperty("data");
}
