using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

public sealed partial class StripeFakeServer
{
    private static readonly string[] ProrationBehaviors = ["create_prorations", "none", "always_invoice"];

    // Item id → its subscription's id. Filled from all subscriptions when an item is not in it yet, so
    // a lookup does not copy every subscription the fake holds.
    private readonly ConcurrentDictionary<string, string> itemSubscriptions = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>POST /v1/subscription_items/{id}</c>: sets the quantity (<c>proration_behavior</c> is checked
    /// and accepted, no proration is invoiced) and sends <c>customer.subscription.updated</c>, as Stripe does.
    /// </summary>
    private void MapSubscriptionItems(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/subscription_items/{id}", async (string id, HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            var quantity = request.Param("quantity");
            long parsed = 0;
            if (quantity is not null && (!long.TryParse(quantity, NumberStyles.None, CultureInfo.InvariantCulture, out parsed)))
            {
                return StripeErrors.Result(StripeErrors.Invalid("quantity", $"Invalid integer: {quantity}"));
            }

            if (request.Param("proration_behavior") is { } proration && !ProrationBehaviors.Contains(proration, StringComparer.Ordinal))
            {
                return StripeErrors.Result(StripeErrors.Invalid("proration_behavior", $"Invalid proration_behavior: must be one of {string.Join(", ", ProrationBehaviors)}"));
            }

            JsonObject item;
            JsonObject subscription;
            lock (State.Gate)
            {
                if (FindItem(id) is not { } found)
                {
                    return StripeErrors.Result(StripeErrors.NoSuch("subscription_item", id));
                }

                if (found.Subscription["status"]?.ToString() is "canceled" or "incomplete_expired")
                {
                    return StripeErrors.Result(StripeErrors.Invalid("id", "A canceled subscription can only update its cancellation_details and metadata."));
                }

                if (quantity is not null)
                {
                    found.Item["quantity"] = parsed;
                }

                item = found.Item.DeepClone().AsObject();
                subscription = found.Subscription.DeepClone().AsObject();
            }

            await SendEventAsync("customer.subscription.updated", subscription, context.RequestAborted);
            return Results.Json(item);
        });

    private (JsonObject Subscription, JsonObject Item)? FindItem(string itemId)
    {
        if (!itemSubscriptions.ContainsKey(itemId))
        {
            foreach (var subscription in State.All("subscription"))
            {
                foreach (var line in subscription["items"]?["data"]?.AsArray() ?? [])
                {
                    itemSubscriptions[line!["id"]!.ToString()] = subscription["id"]!.ToString();
                }
            }
        }

        if (!itemSubscriptions.TryGetValue(itemId, out var subscriptionId) || State.Live(subscriptionId) is not { } live)
        {
            return null;
        }

        var item = live["items"]?["data"]?.AsArray().OfType<JsonObject>().FirstOrDefault(i => i["id"]?.ToString() == itemId);
        return item is null ? null : (live, item);
    }
}
