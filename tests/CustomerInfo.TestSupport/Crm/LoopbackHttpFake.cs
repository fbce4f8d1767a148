using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>What a fake answers instead of doing its work, for the next request(s).</summary>
public enum HttpFault
{
    /// <summary>429 with <c>Retry-After</c> (<see cref="LoopbackHttpFake.RetryAfterSeconds"/>) and the vendor's 429 body.</summary>
    TooManyRequests,

    /// <summary>500 with the vendor's error body.</summary>
    ServerError,

    /// <summary>503 with no body.</summary>
    Unavailable,

    /// <summary>Answers after <see cref="LoopbackHttpFake.SlowAnswer"/>, longer than any client should wait.</summary>
    Timeout,

    /// <summary>200 with an HTML page (a proxy's or a login page).</summary>
    Html,

    /// <summary>200 with a 10 MB body.</summary>
    HugeBody,
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (a port the OS picks) standing in for one outside service. A
/// subclass maps the vendor's routes in <see cref="Map"/> and checks requests there the way the real
/// service does (auth header, path, required fields, body shape). This base keeps every request it
/// received (<see cref="Requests"/>), answers faults queued with <see cref="FailNext"/>, and can go
/// down and come back on the same port (<see cref="StopAsync"/>, <see cref="StartAsync"/>).
/// </summary>
public abstract class LoopbackHttpFake : IAsyncDisposable
{
    private readonly ConcurrentQueue<HttpFault> faults = new();
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private WebApplication? app;

    public int Port { get; private set; }

    /// <summary>Where the app under test should send its calls, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int RetryAfterSeconds { get; set; } = 1;

    public TimeSpan SlowAnswer { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every request this fake received (faulted ones included), oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => requests.ToArray();

    public void FailNext(HttpFault fault, int times = 1)
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
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            requests.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body,
                DateTimeOffset.UtcNow));
            if (faults.TryDequeue(out var fault))
            {
                await AnswerFaultAsync(context, fault);
                return;
            }

            await next(context);
        });
        Map(app);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
    }

    /// <summary>Stops listening (calls are refused) until <see cref="StartAsync"/>, which takes the same port again.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The vendor's routes.</summary>
    protected abstract void Map(IEndpointRouteBuilder routes);

    /// <summary>The vendor's error body for a 429 or a 500 (JSON); the base writes it with <see cref="ErrorContentType"/>.</summary>
    protected abstract string ErrorBody(int status, string message);

    protected virtual string ErrorContentType => "application/json";

    private async Task AnswerFaultAsync(HttpContext context, HttpFault fault)
    {
        switch (fault)
        {
            case HttpFault.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.ContentType = ErrorContentType;
                await context.Response.WriteAsync(ErrorBody(429, "You have reached your secondly limit."));
                break;
            case HttpFault.ServerError:
                context.Response.StatusCode = 500;
                context.Response.ContentType = ErrorContentType;
                await context.Response.WriteAsync(ErrorBody(500, "Internal error"));
                break;
            case HttpFault.Unavailable:
                context.Response.StatusCode = 503;
                break;
            case HttpFault.Timeout:
                try
                {
                    await Task.Delay(SlowAnswer, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.StatusCode = 504;
                break;
            case HttpFault.Html:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<!doctype html><html><body><h1>Please sign in</h1></body></html>");
                break;
            case HttpFault.HugeBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                await context.Response.Body.WriteAsync("{\"padding\":\""u8.ToArray());
                for (var written = 0; written < 10 * 1024 * 1024; written += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }

                await context.Response.Body.WriteAsync("\"}"u8.ToArray());
                break;
        }
    }
}

/// <summary>One request as a fake received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
