using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.StripeFake;

/// <summary>What the fake answers instead of doing its work, for the next API request(s).</summary>
public enum StripeFault
{
    /// <summary>429 with Stripe's <c>rate_limit</c> error (Stripe sends no Retry-After; clients back off).</summary>
    TooManyRequests,

    /// <summary>500 with Stripe's <c>api_error</c>.</summary>
    ServerError,

    /// <summary>Answers after <see cref="StripeFakeOptions.SlowAnswer"/>, longer than any client waits.</summary>
    Timeout,
}

public sealed class StripeFakeOptions
{
    /// <summary>The only secret key the fake accepts (<c>Authorization: Bearer …</c>).</summary>
    public string ApiKey { get; set; } = "sk_test_customerinfo_fake";

    /// <summary>The webhook endpoint's signing secret: events are signed with it as Stripe signs them.</summary>
    public string WebhookSecret { get; set; } = "whsec_customerinfo_fake";

    /// <summary>Where events are POSTed (the app's <c>/stripe/webhook</c>); null: events are only kept.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// How deliveries reach <see cref="WebhookUrl"/>; null: over the network. Tests of an in-memory app
    /// give the test server's handler.
    /// </summary>
    public HttpMessageHandler? WebhookHandler { get; set; }

    /// <summary>0: the OS picks a port.</summary>
    public int Port { get; set; }

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(90);
}

/// <summary>
/// A stateful fake of the Stripe API: a real HTTP server on 127.0.0.1 that the real Stripe.net client
/// talks to through <c>StripeClientOptions.ApiBase</c>. Like Stripe it checks the Bearer key, required
/// parameters and idempotency keys (the same key with other parameters is refused, with the same
/// parameters the first answer is replayed), answers in Stripe's JSON shapes (Stripe's own fixtures,
/// <see cref="StripeFixtures"/>) and can answer 429, 500 or time out (<see cref="FailNext"/>). Events
/// are signed exactly as Stripe signs them and POSTed to <see cref="StripeFakeOptions.WebhookUrl"/>.
/// Each resource maps its routes in its own file (<c>Map…</c> in <see cref="MapRoutes"/>).
/// </summary>
public sealed partial class StripeFakeServer(StripeFakeOptions options) : IAsyncDisposable
{
    /// <summary>The API version Stripe.net 53 pins; events carry it.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    private readonly ConcurrentQueue<StripeFault> faults = new();
    private readonly ConcurrentQueue<StripeFakeRequest> requests = new();
    private readonly ConcurrentDictionary<string, IdempotentAnswer> idempotent = new(StringComparer.Ordinal);
    private WebApplication? app;
    private HttpClient? webhookClient;

    public StripeFakeOptions Options { get; } = options;

    public StripeFakeState State { get; } = new(options.Clock);

    public int Port { get; private set; }

    /// <summary>The <c>Stripe:ApiBase</c> for the app under test, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every API request the fake received (faulted ones included), oldest first.</summary>
    public IReadOnlyList<StripeFakeRequest> Requests => requests.ToArray();

    /// <summary>Every webhook delivery attempted, oldest first, with the app's answer.</summary>
    public IReadOnlyList<StripeWebhookDelivery> Deliveries => deliveries.ToArray();

    private readonly ConcurrentQueue<StripeWebhookDelivery> deliveries = new();

    public void FailNext(StripeFault fault, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            faults.Enqueue(fault);
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port == 0 ? Options.Port : Port));
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.Use(ApiGateAsync);
        MapRoutes(app);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
    }

    /// <summary>Stops listening until <see cref="StartAsync"/>, which takes the same port again. The state stays.</summary>
    public async Task StopAsync()
    {
        // The host that runs the fake and the container that owns it may both stop it, even at once: only the first does.
        var running = Interlocked.Exchange(ref app, null);
        if (running is not null)
        {
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        webhookClient?.Dispose();
    }

    /// <summary>
    /// Makes an event of <paramref name="type"/> about <paramref name="dataObject"/> (a copy is taken),
    /// keeps it (<c>GET /v1/events/{id}</c>), signs it and POSTs it to the webhook URL once.
    /// </summary>
    public async Task<JsonObject> SendEventAsync(string type, JsonObject dataObject, CancellationToken cancellationToken = default)
    {
        var stripeEvent = StripeFixtures.New("event");
        stripeEvent["id"] = StripeFakeState.NewId("evt");
        stripeEvent["type"] = type;
        stripeEvent["api_version"] = ApiVersion;
        stripeEvent["created"] = State.Now.ToUnixTimeSeconds();
        stripeEvent["livemode"] = false;
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null };
        stripeEvent["data"] = new JsonObject { ["object"] = dataObject.DeepClone() };
        State.Put(stripeEvent);
        await DeliverAsync(stripeEvent, cancellationToken);
        return stripeEvent;
    }

    /// <summary>POSTs a stored event to the webhook URL again (Stripe's retries and replays), signed now.</summary>
    public Task<StripeWebhookDelivery?> DeliverAsync(JsonObject stripeEvent, CancellationToken cancellationToken = default) =>
        DeliverAsync(stripeEvent.ToJsonString(), cancellationToken);

    /// <summary>POSTs <paramref name="payload"/> as it is, signed with the webhook secret at the fake's current time.</summary>
    public async Task<StripeWebhookDelivery?> DeliverAsync(string payload, CancellationToken cancellationToken = default)
    {
        if (Options.WebhookUrl is not { } url)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", SignatureHeader(payload, Options.WebhookSecret, State.Now));
        StripeWebhookDelivery delivery;
        webhookClient ??= Options.WebhookHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) }
            : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await webhookClient.SendAsync(request, cancellationToken);
            delivery = new StripeWebhookDelivery(payload, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException failure)
        {
            delivery = new StripeWebhookDelivery(payload, 0, failure.Message);
        }

        deliveries.Enqueue(delivery);
        return delivery;
    }

    /// <summary>The <c>Stripe-Signature</c> header Stripe sends: <c>t=unix,v1=hex(HMAC-SHA256(secret, "t.payload"))</c>.</summary>
    public static string SignatureHeader(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Each resource's routes. A new resource adds its <c>Map…</c> here and lives in its own file.</summary>
    private void MapRoutes(IEndpointRouteBuilder routes)
    {
        MapCustomers(routes);
        MapEvents(routes);
        MapSubscriptions(routes);
        MapMeter(routes);
        MapSubscriptionItems(routes);
        MapInvoices(routes);
        MapCheckout(routes);
        MapPortal(routes);
    }

    /// <summary>Records the request, answers a queued fault, checks the key, then replays or keeps idempotent answers.</summary>
    private async Task ApiGateAsync(HttpContext context, RequestDelegate next)
    {
        var request = await StripeFakeRequest.ReadAsync(context);
        requests.Enqueue(request);
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            // The fake's own pages (hosted Checkout, the Portal) take no API key.
            await next(context);
            return;
        }

        if (faults.TryDequeue(out var fault))
        {
            await AnswerFaultAsync(context, fault);
            return;
        }

        if (!string.Equals(request.Header("Authorization"), $"Bearer {Options.ApiKey}", StringComparison.Ordinal))
        {
            await StripeErrors.Write(context, StripeErrors.InvalidApiKey(request.Header("Authorization")));
            return;
        }

        var key = request.Header("Idempotency-Key");
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key))
        {
            await next(context);
            return;
        }

        var fingerprint = $"{context.Request.Method} {context.Request.Path} {request.Body}";
        if (idempotent.TryGetValue(key, out var earlier))
        {
            if (!string.Equals(earlier.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                await StripeErrors.Write(context, StripeErrors.IdempotencyMismatch(key));
                return;
            }

            context.Response.StatusCode = earlier.Status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.WriteAsync(earlier.Body);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = Encoding.UTF8.GetString(buffer.ToArray());
        // Stripe keeps the answer of a request that reached it, errors included, but not a 500's.
        if (context.Response.StatusCode < 500)
        {
            idempotent.TryAdd(key, new IdempotentAnswer(fingerprint, context.Response.StatusCode, body));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }

    private async Task AnswerFaultAsync(HttpContext context, StripeFault fault)
    {
        switch (fault)
        {
            case StripeFault.TooManyRequests:
                await StripeErrors.Write(context, StripeErrors.RateLimited());
                break;
            case StripeFault.ServerError:
                await StripeErrors.Write(context, StripeErrors.ApiError());
                break;
            case StripeFault.Timeout:
                try
                {
                    await Task.Delay(Options.SlowAnswer, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.StatusCode = 504;
                break;
        }
    }

    private sealed record IdempotentAnswer(string Fingerprint, int Status, string Body);
}

/// <summary>One webhook delivery: the payload sent and the app's answer (status 0: it could not be reached).</summary>
public sealed record StripeWebhookDelivery(string Payload, int Status, string Answer);
