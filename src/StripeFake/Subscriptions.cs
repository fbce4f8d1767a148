using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

/// <summary>One line of a subscription: a price, and its quantity (null for a metered price).</summary>
public sealed record StripeFakeItem(string PriceId, long? Quantity);

/// <summary>
/// Subscriptions and their invoices, as Stripe moves them, and the events Stripe sends for each step.
/// The hosted Checkout and Portal pages, the tests and the routes all change subscriptions through
/// these methods, so every path sends the same events: created/updated/deleted for the subscription,
/// <c>invoice.paid</c> / <c>invoice.payment_failed</c> for a payment.
/// </summary>
public sealed partial class StripeFakeServer
{
    /// <summary>A new active subscription for the customer (as a completed Checkout makes it); sends <c>customer.subscription.created</c>.</summary>
    public Task<JsonObject> CreateSubscriptionAsync(string customerId, IEnumerable<StripeFakeItem> items, CancellationToken cancellationToken = default) =>
        CreateSubscriptionAsync(customerId, items, metadata: null, cancellationToken);

    /// <param name="metadata">The subscription's metadata (Checkout's <c>subscription_data[metadata]</c>); null: none.</param>
    public async Task<JsonObject> CreateSubscriptionAsync(string customerId, IEnumerable<StripeFakeItem> items, JsonObject? metadata, CancellationToken cancellationToken = default)
    {
        JsonObject subscription;
        lock (State.Gate)
        {
            if (State.Live(customerId) is null)
            {
                throw new InvalidOperationException($"No such customer: '{customerId}'");
            }

            var now = State.Now;
            var id = StripeFakeState.NewId("sub");
            subscription = StripeFixtures.New("subscription");
            subscription["id"] = id;
            subscription["customer"] = customerId;
            subscription["status"] = "active";
            subscription["created"] = now.ToUnixTimeSeconds();
            subscription["start_date"] = now.ToUnixTimeSeconds();
            subscription["billing_cycle_anchor"] = now.ToUnixTimeSeconds();
            subscription["cancel_at"] = null;
            subscription["cancel_at_period_end"] = false;
            subscription["canceled_at"] = null;
            subscription["ended_at"] = null;
            subscription["trial_start"] = null;
            subscription["trial_end"] = null;
            subscription["currency"] = "eur";
            subscription["latest_invoice"] = null;
            subscription["pending_update"] = null;
            subscription["schedule"] = null;
            subscription["discounts"] = new JsonArray();
            subscription["metadata"] = metadata?.DeepClone() ?? new JsonObject();
            var lines = new JsonArray();
            foreach (var item in items)
            {
                lines.Add(NewItem(id, item, now));
            }

            subscription["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = lines,
                ["has_more"] = false,
                ["url"] = $"/v1/subscription_items?subscription={id}",
            };
            State.Put(subscription);
            subscription = subscription.DeepClone().AsObject();
        }

        await SendEventAsync("customer.subscription.created", subscription, cancellationToken);
        return subscription;
    }

    /// <summary>Sets the subscription's status (e.g. <c>past_due</c>, <c>unpaid</c>, <c>active</c>); sends <c>customer.subscription.updated</c>.</summary>
    public async Task<JsonObject> SetSubscriptionStatusAsync(string subscriptionId, string status, CancellationToken cancellationToken = default)
    {
        JsonObject subscription;
        lock (State.Gate)
        {
            var live = LiveSubscription(subscriptionId);
            live["status"] = status;
            subscription = live.DeepClone().AsObject();
        }

        await SendEventAsync("customer.subscription.updated", subscription, cancellationToken);
        return subscription;
    }

    /// <summary>Ends the subscription now (canceled); sends <c>customer.subscription.deleted</c>.</summary>
    public async Task<JsonObject> DeleteSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        JsonObject subscription;
        lock (State.Gate)
        {
            var live = LiveSubscription(subscriptionId);
            var now = State.Now.ToUnixTimeSeconds();
            live["status"] = "canceled";
            live["canceled_at"] = now;
            live["ended_at"] = now;
            live["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = "cancellation_requested" };
            subscription = live.DeepClone().AsObject();
        }

        await SendEventAsync("customer.subscription.deleted", subscription, cancellationToken);
        return subscription;
    }

    /// <summary>
    /// An invoice of the subscription for <paramref name="amount"/> cents, paid or failed. Paid: the
    /// subscription becomes active (if it was not) and <c>invoice.paid</c> is sent. Failed: it becomes
    /// <c>past_due</c> and <c>invoice.payment_failed</c> is sent. Each status change also sends
    /// <c>customer.subscription.updated</c>, before the invoice's event, as Stripe does.
    /// </summary>
    public async Task<JsonObject> InvoiceAsync(string subscriptionId, long amount, bool paid, CancellationToken cancellationToken = default)
    {
        JsonObject invoice;
        JsonObject? changed = null;
        lock (State.Gate)
        {
            var live = LiveSubscription(subscriptionId);
            var now = State.Now;
            invoice = StripeFixtures.New("invoice");
            var id = StripeFakeState.NewId("in");
            invoice["id"] = id;
            invoice["customer"] = live["customer"]!.ToString();
            invoice["created"] = now.ToUnixTimeSeconds();
            invoice["currency"] = "eur";
            invoice["amount_due"] = amount;
            invoice["amount_paid"] = paid ? amount : 0;
            invoice["amount_remaining"] = paid ? 0 : amount;
            invoice["total"] = amount;
            invoice["subtotal"] = amount;
            invoice["attempt_count"] = 1;
            invoice["attempted"] = true;
            invoice["status"] = paid ? "paid" : "open";
            invoice["billing_reason"] = "subscription_cycle";
            invoice["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
            };
            invoice["period_start"] = now.AddMonths(-1).ToUnixTimeSeconds();
            invoice["period_end"] = now.ToUnixTimeSeconds();
            invoice["next_payment_attempt"] = paid ? null : now.AddDays(3).ToUnixTimeSeconds();
            State.Put(invoice);
            invoice = invoice.DeepClone().AsObject();
            live["latest_invoice"] = id;
            var status = paid ? "active" : "past_due";
            if (!string.Equals(live["status"]?.ToString(), status, StringComparison.Ordinal))
            {
                live["status"] = status;
                changed = live.DeepClone().AsObject();
            }
        }

        if (changed is not null)
        {
            await SendEventAsync("customer.subscription.updated", changed, cancellationToken);
        }

        await SendEventAsync(paid ? "invoice.paid" : "invoice.payment_failed", invoice, cancellationToken);
        return invoice;
    }

    /// <summary>The customer's subscriptions, newest first.</summary>
    public IReadOnlyList<JsonObject> SubscriptionsOf(string customerId) =>
        [.. State.OwnedBy(customerId, "subscription").Reverse()];

    /// <summary><c>GET /v1/subscriptions/{id}</c>, <c>GET /v1/subscriptions?customer=…&amp;status=all</c>.</summary>
    private void MapSubscriptions(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/subscriptions/{id}", (string id) =>
            State.Get(id) is { } subscription && subscription["object"]?.ToString() == "subscription"
                ? Results.Json(subscription)
                : StripeErrors.Result(StripeErrors.NoSuch("subscription", id)));
        routes.MapGet("/v1/subscriptions", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            var customer = request.Param("customer");
            // Without status=all, Stripe lists only subscriptions that have not been canceled.
            var all = request.Param("status") == "all";
            var limit = int.TryParse(request.Param("limit"), out var asked) ? Math.Clamp(asked, 1, 100) : 10;
            var found = (customer is null ? State.All("subscription") : State.OwnedBy(customer, "subscription"))
                .Where(s => all || s["status"]?.ToString() != "canceled")
                .Reverse()
                .ToList();
            return Results.Json(StripeFakeState.List("/v1/subscriptions", found.Take(limit), found.Count > limit));
        });
    }

    private JsonObject LiveSubscription(string subscriptionId) =>
        State.Live(subscriptionId) is { } live && live["object"]?.ToString() == "subscription"
            ? live
            : throw new InvalidOperationException($"No such subscription: '{subscriptionId}'");

    private static JsonObject NewItem(string subscriptionId, StripeFakeItem item, DateTimeOffset now)
    {
        var line = new JsonObject
        {
            ["id"] = StripeFakeState.NewId("si"),
            ["object"] = "subscription_item",
            ["created"] = now.ToUnixTimeSeconds(),
            ["current_period_start"] = now.ToUnixTimeSeconds(),
            ["current_period_end"] = now.AddMonths(1).ToUnixTimeSeconds(),
            ["discounts"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["subscription"] = subscriptionId,
            ["tax_rates"] = new JsonArray(),
            ["billing_thresholds"] = null,
            ["price"] = Price(item.PriceId, item.Quantity is null, now),
        };
        if (item.Quantity is { } quantity)
        {
            line["quantity"] = quantity;
        }

        return line;
    }

    /// <summary>A price object as Stripe embeds it in an item: monthly, licensed or metered.</summary>
    private static JsonObject Price(string priceId, bool metered, DateTimeOffset now)
    {
        var price = StripeFixtures.New("price");
        price["id"] = priceId;
        price["created"] = now.ToUnixTimeSeconds();
        price["currency"] = "eur";
        price["type"] = "recurring";
        price["recurring"] = new JsonObject
        {
            ["interval"] = "month",
            ["interval_count"] = 1,
            ["usage_type"] = metered ? "metered" : "licensed",
            ["meter"] = metered ? "mtr_customerinfo_signups" : null,
            ["trial_period_days"] = null,
        };
        return price;
    }
}
