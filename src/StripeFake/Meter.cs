using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

/// <summary>One meter event the fake accepted.</summary>
public sealed record StripeFakeMeterEvent(string EventName, string Identifier, string CustomerId, long Value, DateTimeOffset Timestamp);

public sealed partial class StripeFakeServer
{
    /// <summary>How far back Stripe takes a meter event's timestamp.</summary>
    public static readonly TimeSpan MeterEventMaxAge = TimeSpan.FromDays(35);

    /// <summary>How far ahead Stripe takes a meter event's timestamp.</summary>
    public static readonly TimeSpan MeterEventMaxLead = TimeSpan.FromMinutes(5);

    // By identifier. Stripe keeps identifiers unique for about 24 hours; the fake keeps them for its
    // whole life, which is stricter: a client that double-reports after a day is caught here too.
    private readonly ConcurrentDictionary<string, StripeFakeMeterEvent> meterEvents = new(StringComparer.Ordinal);

    /// <summary>Every meter event accepted, in no particular order.</summary>
    public IReadOnlyList<StripeFakeMeterEvent> MeterEvents => [.. meterEvents.Values];

    /// <summary>The sum of the customer's meter events whose timestamp is in [<paramref name="from"/>, <paramref name="until"/>).</summary>
    public long MeteredValue(string customerId, DateTimeOffset from, DateTimeOffset until) =>
        meterEvents.Values
            .Where(e => string.Equals(e.CustomerId, customerId, StringComparison.Ordinal) && e.Timestamp >= from && e.Timestamp < until)
            .Sum(e => e.Value);

    /// <summary>The sum of the customer's meter events on one UTC day.</summary>
    public long MeteredValue(string customerId, DateOnly day)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return MeteredValue(customerId, from, from.AddDays(1));
    }

    /// <summary><c>POST /v1/billing/meter_events</c>: checked as Stripe checks it, kept for the sums above.</summary>
    private void MapMeter(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/billing/meter_events", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            if (ReadMeterEvent(request, out var refusal) is not { } meterEvent)
            {
                return StripeErrors.Result(refusal!);
            }

            if (!meterEvents.TryAdd(meterEvent.Identifier, meterEvent))
            {
                return StripeErrors.Result(StripeErrors.Invalid("identifier", $"An event already exists with identifier {meterEvent.Identifier}."));
            }

            var answer = StripeFixtures.New("billing.meter_event");
            answer["created"] = State.Now.ToUnixTimeSeconds();
            answer["event_name"] = meterEvent.EventName;
            answer["identifier"] = meterEvent.Identifier;
            answer["payload"] = request.Params["payload"]!.DeepClone();
            answer["timestamp"] = meterEvent.Timestamp.ToUnixTimeSeconds();
            return Results.Json(answer);
        });

    private StripeFakeMeterEvent? ReadMeterEvent(StripeFakeRequest request, out StripeError? refusal)
    {
        refusal = null;
        var eventName = request.Param("event_name");
        var customer = request.Param("payload.stripe_customer_id");
        var value = request.Param("payload.value");
        if (string.IsNullOrEmpty(eventName))
        {
            refusal = StripeErrors.Missing("event_name");
        }
        else if (string.IsNullOrEmpty(customer))
        {
            refusal = StripeErrors.Missing("payload[stripe_customer_id]");
        }
        else if (string.IsNullOrEmpty(value))
        {
            refusal = StripeErrors.Missing("payload[value]");
        }
        else if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            refusal = StripeErrors.Invalid("payload[value]", $"Invalid value for payload[value]: {value} is not a whole number.");
        }

        var now = State.Now;
        var timestamp = now;
        if (refusal is null && request.Param("timestamp") is { Length: > 0 } given)
        {
            timestamp = long.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.MinValue;
            if (timestamp < now - MeterEventMaxAge)
            {
                refusal = StripeErrors.Invalid("timestamp", "Timestamp must be within the past 35 calendar days.");
            }
            else if (timestamp > now + MeterEventMaxLead)
            {
                refusal = StripeErrors.Invalid("timestamp", "Timestamp must not be more than 5 minutes in the future.");
            }
        }

        return refusal is not null
            ? null
            : new StripeFakeMeterEvent(eventName!, request.Param("identifier") is { Length: > 0 } id ? id : Guid.NewGuid().ToString(), customer!, long.Parse(value!, CultureInfo.InvariantCulture), timestamp);
    }
}
