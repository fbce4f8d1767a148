using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

/// <summary>What the fake charges for a price: per unit, the first <paramref name="FreeUnits"/> of a metered price free.</summary>
public sealed record StripeFakePrice(long UnitAmount, long FreeUnits = 0);

public sealed partial class StripeFakeServer
{
    /// <summary>The fake's price table, by price id; a price not in it costs nothing.</summary>
    public ConcurrentDictionary<string, StripeFakePrice> Prices { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>POST /v1/invoices/create_preview</c>: the subscription's next invoice. Since API version
    /// 2025-03-31 Stripe previews one subscription, not a customer's (a customer alone is refused).
    /// Each licensed item costs quantity × its price; a metered one the meter events of its current
    /// period above its free units × its price. No tax, discounts or prorations.
    /// </summary>
    private void MapInvoices(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/invoices/create_preview", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            var customer = request.Param("customer");
            if (request.Param("subscription") is not { Length: > 0 } subscriptionId)
            {
                return StripeErrors.Result(customer is null
                    ? StripeErrors.Missing("customer")
                    : StripeErrors.Invalid("subscription", "You must pass one of subscription, subscription_details.items, schedule, schedule_details.phases or invoice_items to preview an invoice."));
            }

            if (State.Get(subscriptionId) is not { } subscription || subscription["object"]?.ToString() != "subscription")
            {
                return StripeErrors.Result(StripeErrors.NoSuch("subscription", subscriptionId, "subscription"));
            }

            var owner = subscription["customer"]!.ToString();
            if (customer is not null && customer != owner)
            {
                return StripeErrors.Result(StripeErrors.Invalid("customer", $"The subscription {subscriptionId} does not belong to customer {customer}."));
            }

            if (subscription["status"]?.ToString() is "canceled" or "incomplete_expired")
            {
                return StripeErrors.Result(new StripeError(404, "invalid_request_error", $"No upcoming invoices for customer: {owner}", "invoice_upcoming_none"));
            }

            return Results.Json(Preview(subscription, owner));
        });

    private JsonObject Preview(JsonObject subscription, string customerId)
    {
        var items = subscription["items"]!["data"]!.AsArray().OfType<JsonObject>().ToList();
        var periodStart = DateTimeOffset.FromUnixTimeSeconds(items.Min(i => i["current_period_start"]!.GetValue<long>()));
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds(items.Max(i => i["current_period_end"]!.GetValue<long>()));
        var amount = items.Sum(item => AmountOf(item, customerId, periodStart, periodEnd));

        var invoice = StripeFixtures.New("invoice");
        invoice["id"] = "upcoming_" + StripeFakeState.NewId("in");
        invoice["customer"] = customerId;
        invoice["created"] = periodEnd.ToUnixTimeSeconds();
        invoice["currency"] = subscription["currency"]?.ToString() ?? "eur";
        invoice["amount_due"] = amount;
        invoice["amount_paid"] = 0;
        invoice["amount_remaining"] = amount;
        invoice["total"] = amount;
        invoice["subtotal"] = amount;
        invoice["attempt_count"] = 0;
        invoice["attempted"] = false;
        invoice["status"] = "draft";
        invoice["billing_reason"] = "upcoming";
        invoice["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["quote_details"] = null,
            ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscription["id"]!.ToString() },
        };
        invoice["period_start"] = periodStart.ToUnixTimeSeconds();
        invoice["period_end"] = periodEnd.ToUnixTimeSeconds();
        // Stripe finalizes a subscription's invoice about an hour after the period ends, then charges it.
        invoice["next_payment_attempt"] = periodEnd.AddHours(1).ToUnixTimeSeconds();
        invoice["lines"] = StripeFakeState.List("/v1/invoices/upcoming/lines", []);
        return invoice;
    }

    private long AmountOf(JsonObject item, string customerId, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var priceId = item["price"]?["id"]?.ToString() ?? string.Empty;
        if (!Prices.TryGetValue(priceId, out var price))
        {
            return 0;
        }

        var metered = item["price"]?["recurring"]?["usage_type"]?.ToString() == "metered";
        var units = metered
            ? Math.Max(0, MeteredValue(customerId, periodStart, periodEnd) - price.FreeUnits)
            : item["quantity"]?.GetValue<long>() ?? 0;
        return units * price.UnitAmount;
    }
}
