using System.Text;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.RecordStripeWebhook;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Infrastructure.Billing;
using CustomerInfo.Web.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Billing;

/// <summary>
/// <c>POST /stripe/webhook</c> on the apex (ADR 0021). Stripe retries any answer but 2xx for three
/// days, so the answers say what a retry can change: 400 for a delivery that will never be valid
/// (unsigned, wrongly signed, replayed, malformed, another API version), 413 for a body no event has,
/// 2xx once the event is stored and handled, 503 when storing or handling failed (the database is
/// down), so Stripe delivers it again. No cookie, form or antiforgery token is involved: the
/// signature is the authentication, and the apex has no kiosk rate limit.
/// </summary>
public sealed partial class StripeWebhookEndpoint
{
    public const string Route = "/stripe/webhook";

    /// <summary>Stripe's events are a few kilobytes; a subscription with many items stays far below this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Who records the facts of a signed event (the event headers name it).</summary>
    private static readonly Actor Stripe = Actor.System("stripe-webhook");

    private StripeWebhookEndpoint()
    {
    }

    public static IEndpointConventionBuilder MapStripeWebhook(IEndpointRouteBuilder routes) =>
        routes.MapPost(Route, ReceiveAsync)
            .WithMetadata(new SiteAttribute(Site.Platform))
            .DisableAntiforgery();

    private static async Task<IResult> ReceiveAsync(
        HttpContext http, IOptions<StripeOptions> options, ActorContext actors, ISender sender, ILogger<StripeWebhookEndpoint> logger)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            // Without a secret nothing can be verified; 503 keeps Stripe retrying until it is configured.
            LogNoSecret(logger);
            return Results.Text("The webhook is not configured.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (await ReadBodyAsync(http) is not { } json)
        {
            LogRefused(logger, "body larger than 1 MB");
            return Results.Text("The body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var reading = StripeWebhookReader.Read(json, http.Request.Headers["Stripe-Signature"].FirstOrDefault(), secret);
        if (reading.Notice is not { } notice)
        {
            LogRefused(logger, reading.Refusal!);
            return Results.Text(reading.Refusal!, statusCode: StatusCodes.Status400BadRequest);
        }

        actors.Set(Stripe);
        try
        {
            var outcome = await sender.Send(new RecordStripeWebhookCommand(notice), http.RequestAborted);
            return Results.Text(outcome.ToString(), statusCode: StatusCodes.Status200OK);
        }
        catch (Exception failure) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, notice.Id, notice.Type, failure);
            return Results.Text("The event could not be stored; deliver it again.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The raw body (the signature is over its exact bytes), or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe webhook received but Stripe:WebhookSecret is not set: answered 503")]
    private static partial void LogNoSecret(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId} ({Type}) could not be stored or handled: answered 503, Stripe delivers it again")]
    private static partial void LogFailed(ILogger logger, string eventId, string type, Exception failure);
}
