using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

/// <summary>
/// Checkout Sessions (<c>POST /v1/checkout/sessions</c>, <c>GET /v1/checkout/sessions/{id}</c>) and the
/// hosted Checkout page at the session's <c>url</c>. The page pays (the subscription is made, the
/// session completes, then its first invoice is paid, each step with Stripe's events), fails the
/// card (the session stays open, as Stripe's does), or cancels back to <c>cancel_url</c>.
/// </summary>
public sealed partial class StripeFakeServer
{
    /// <summary>A session's line items: Stripe keeps them apart from the session object (<c>expand[]=line_items</c>).</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyList<StripeFakeItem>> checkoutItems = new(StringComparer.Ordinal);

    /// <summary>
    /// What one unit of a price costs, in cents, for the invoices the hosted pages make; a price not
    /// listed costs nothing. The fake has no price objects: the app's plans say what they cost.
    /// </summary>
    public ConcurrentDictionary<string, long> PriceAmounts { get; } = new(StringComparer.Ordinal);

    /// <summary>A session's line items, as the Checkout page shows and pays them.</summary>
    public IReadOnlyList<StripeFakeItem> CheckoutItemsOf(string sessionId) => checkoutItems.GetValueOrDefault(sessionId) ?? [];

    /// <summary>
    /// What the hosted page's "Pay" does, for tests that skip the page: the subscription is made with
    /// the session's items and metadata (<c>customer.subscription.created</c>), the session completes
    /// (<c>checkout.session.completed</c>), then the first invoice is paid (<c>invoice.paid</c>).
    /// Answers the completed session; a session that is not open is answered as it is.
    /// </summary>
    public async Task<JsonObject> CompleteCheckoutAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        string customerId;
        JsonObject? metadata;
        lock (State.Gate)
        {
            var live = LiveCheckoutSession(sessionId);
            if (live["status"]?.ToString() != "open")
            {
                return live.DeepClone().AsObject();
            }

            // A second click while the first one runs must not subscribe twice.
            live["status"] = "completing";
            customerId = live["customer"]?.ToString() ?? NewCheckoutCustomer(live);
            metadata = StripeParams.Find(live, "subscription_data_metadata")?.DeepClone().AsObject();
        }

        var items = CheckoutItemsOf(sessionId);
        var subscription = await CreateSubscriptionAsync(customerId, items, metadata, cancellationToken);
        var subscriptionId = subscription["id"]!.ToString();
        JsonObject completed;
        lock (State.Gate)
        {
            var live = LiveCheckoutSession(sessionId);
            live["status"] = "complete";
            live["payment_status"] = "paid";
            live["subscription"] = subscriptionId;
            live["amount_subtotal"] = AmountOf(items);
            live["amount_total"] = AmountOf(items);
            live["customer_details"] = CustomerDetails(State.Get(customerId));
            completed = Public(live);
        }

        await SendEventAsync("checkout.session.completed", completed, cancellationToken);
        await InvoiceAsync(subscriptionId, AmountOf(items), paid: true, cancellationToken);
        return completed;
    }

    private void MapCheckout(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/checkout/sessions", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            if (CheckoutRefusal(request) is { } refusal)
            {
                return StripeErrors.Result(refusal);
            }

            var session = NewCheckoutSession(request);
            lock (State.Gate)
            {
                State.Put(session);
            }

            return Results.Json(Public(session));
        });
        routes.MapGet("/v1/checkout/sessions/{id}", (string id) =>
            State.Get(id) is { } session && session["object"]?.ToString() == "checkout.session"
                ? Results.Json(Public(session))
                : StripeErrors.Result(StripeErrors.NoSuch("checkout.session", id)));

        routes.MapGet("/checkout/{id}", (string id) => CheckoutPage(id, declined: false));
        routes.MapPost("/checkout/{id}/pay", async (string id, CancellationToken cancellationToken) =>
        {
            if (State.Get(id) is not { } session || session["object"]?.ToString() != "checkout.session")
            {
                return HostedPage.Render("Checkout not found", HostedPage.Alert("There is no such Checkout Session."), StatusCodes.Status404NotFound);
            }

            var completed = await CompleteCheckoutAsync(id, cancellationToken);
            return completed["success_url"]?.ToString() is { Length: > 0 } success
                ? HostedPage.SeeOther(success.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal))
                : CheckoutPage(id, declined: false);
        });
        routes.MapPost("/checkout/{id}/decline", (string id) => CheckoutPage(id, declined: true));
        routes.MapPost("/checkout/{id}/cancel", (string id) =>
            State.Get(id)?["cancel_url"]?.ToString() is { Length: > 0 } cancel
                ? HostedPage.SeeOther(cancel)
                : CheckoutPage(id, declined: false));
    }

    /// <summary>What Stripe refuses in a subscription-mode session, with Stripe's param names.</summary>
    private StripeError? CheckoutRefusal(StripeFakeRequest request)
    {
        var mode = request.Param("mode");
        if (string.IsNullOrEmpty(mode))
        {
            return StripeErrors.Missing("mode");
        }

        if (mode is not ("subscription" or "payment" or "setup"))
        {
            return StripeErrors.Invalid("mode", $"Invalid mode: must be one of payment, setup, or subscription");
        }

        var embedded = request.Param("ui_mode") is "embedded" or "custom";
        if (!embedded && string.IsNullOrEmpty(request.Param("success_url")))
        {
            return StripeErrors.Missing("success_url");
        }

        foreach (var param in new[] { "success_url", "cancel_url" })
        {
            if (request.Param(param) is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                return StripeErrors.Invalid(param, $"Not a valid URL");
            }
        }

        if (mode == "subscription" && request.Params["line_items"] is not JsonArray { Count: > 0 })
        {
            return StripeErrors.Missing("line_items");
        }

        if (request.Params["line_items"] is JsonArray lines)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (string.IsNullOrEmpty(request.Param($"line_items.{i}.price")))
                {
                    return StripeErrors.Missing($"line_items[{i}][price]");
                }

                if (request.Param($"line_items.{i}.quantity") is { } quantity && (!long.TryParse(quantity, CultureInfo.InvariantCulture, out var count) || count < 1))
                {
                    return StripeErrors.Invalid($"line_items[{i}][quantity]", "This value must be greater than or equal to 1.");
                }
            }
        }

        var customer = request.Param("customer");
        if (customer is not null && request.Param("customer_email") is not null)
        {
            return StripeErrors.Invalid("customer_email", "You may only specify one of these parameters: customer, customer_email.");
        }

        if (customer is not null && State.Get(customer)?["object"]?.ToString() != "customer")
        {
            return StripeErrors.NoSuch("customer", customer, "customer");
        }

        // With an existing customer, Stripe must be allowed to save what Checkout collects onto it.
        if (customer is not null && request.Param("tax_id_collection.enabled") == "true" && request.Param("customer_update.name") != "auto")
        {
            return StripeErrors.Invalid("customer_update[name]", "`customer_update[name]` must be set to `auto` to collect tax IDs when `customer` is set.");
        }

        if (customer is not null && request.Param("automatic_tax.enabled") == "true" && request.Param("customer_update.address") is not ("auto" or "never") && request.Param("customer_update.shipping") != "auto")
        {
            return StripeErrors.Invalid("customer_update[address]", "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set either `customer_update[address]` or `customer_update[shipping]` to `auto` to save the address entered in Checkout to the Customer.");
        }

        return null;
    }

    private JsonObject NewCheckoutSession(StripeFakeRequest request)
    {
        var now = State.Now;
        var id = "cs_test_" + StripeFakeState.NewId("x")[2..];
        var session = StripeFixtures.New("checkout.session");
        session["id"] = id;
        session["url"] = $"{BaseUrl}/checkout/{id}";
        session["created"] = now.ToUnixTimeSeconds();
        session["expires_at"] = now.AddHours(24).ToUnixTimeSeconds();
        session["status"] = "open";
        session["payment_status"] = "unpaid";
        session["mode"] = request.Param("mode");
        session["ui_mode"] = request.Param("ui_mode") ?? "hosted";
        session["customer"] = request.Param("customer");
        session["customer_email"] = request.Param("customer_email");
        session["client_reference_id"] = request.Param("client_reference_id");
        session["metadata"] = request.Params["metadata"]?.DeepClone() ?? new JsonObject();
        session["success_url"] = request.Param("success_url");
        session["cancel_url"] = request.Param("cancel_url");
        session["locale"] = request.Param("locale");
        session["currency"] = "eur";
        session["subscription"] = null;
        session["invoice"] = null;
        session["payment_intent"] = null;
        session["customer_details"] = null;
        session["collected_information"] = null;
        session["currency_conversion"] = null;
        session["shipping_cost"] = null;
        session["shipping_address_collection"] = null;
        session["amount_subtotal"] = null;
        session["amount_total"] = null;
        session["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 };
        session["tax_id_collection"] = new JsonObject
        {
            ["enabled"] = request.Param("tax_id_collection.enabled") == "true",
            ["required"] = request.Param("tax_id_collection.required") ?? "never",
        };
        session["automatic_tax"] = new JsonObject
        {
            ["enabled"] = request.Param("automatic_tax.enabled") == "true",
            ["liability"] = request.Param("automatic_tax.enabled") == "true" ? new JsonObject { ["type"] = "self" } : null,
            ["provider"] = null,
            ["status"] = request.Param("automatic_tax.enabled") == "true" ? "requires_location_inputs" : null,
        };

        // Kept with the session but never answered: what the subscription gets when the session completes.
        session["subscription_data_metadata"] = request.Params["subscription_data"]?["metadata"]?.DeepClone() ?? new JsonObject();
        checkoutItems[id] = [.. (request.Params["line_items"] as JsonArray ?? []).Select((_, i) => new StripeFakeItem(
            request.Param($"line_items.{i}.price")!,
            long.TryParse(request.Param($"line_items.{i}.quantity"), CultureInfo.InvariantCulture, out var quantity) ? quantity : null))];
        return session;
    }

    /// <summary>The session as Stripe answers it: without what the fake keeps for itself.</summary>
    private static JsonObject Public(JsonObject session)
    {
        var copy = session.DeepClone().AsObject();
        copy.Remove("subscription_data_metadata");
        if (copy["status"]?.ToString() == "completing")
        {
            copy["status"] = "open";
        }

        return copy;
    }

    private IResult CheckoutPage(string id, bool declined)
    {
        if (State.Get(id) is not { } session || session["object"]?.ToString() != "checkout.session")
        {
            return HostedPage.Render("Checkout not found", HostedPage.Alert("There is no such Checkout Session."), StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder();
        if (session["status"]?.ToString() != "open")
        {
            body.Append("<p>This Checkout Session is complete.</p>");
            return HostedPage.Render("Checkout", body.ToString());
        }

        if (declined)
        {
            body.Append(HostedPage.Alert("Your card was declined. Nothing was charged: try again or use another card."));
        }

        body.Append("<table><caption>What you subscribe to</caption><thead><tr><th scope=\"col\">Price</th><th scope=\"col\">Quantity</th></tr></thead><tbody>");
        foreach (var item in CheckoutItemsOf(id))
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{HostedPage.Encode(item.PriceId)}</td><td>{(item.Quantity is { } quantity ? quantity.ToString(CultureInfo.InvariantCulture) : "metered")}</td></tr>");
        }

        body.Append("</tbody></table>");
        if (session["tax_id_collection"]?["enabled"]?.GetValue<bool>() == true)
        {
            body.Append("<p>Stripe would ask for the business's VAT id here.</p>");
        }

        body.Append(HostedPage.Button($"/checkout/{id}/pay", "Pay", primary: true));
        body.Append(HostedPage.Button($"/checkout/{id}/decline", "Pay with a failing card"));
        body.Append(HostedPage.Button($"/checkout/{id}/cancel", "Cancel"));
        return HostedPage.Render("Checkout", body.ToString(), declined ? StatusCodes.Status402PaymentRequired : StatusCodes.Status200OK);
    }

    /// <summary>A session made with <c>customer_email</c> gets its customer when it completes, as Stripe's does.</summary>
    private string NewCheckoutCustomer(JsonObject session)
    {
        var customer = StripeFixtures.New("customer");
        customer["id"] = StripeFakeState.NewId("cus");
        customer["created"] = State.Now.ToUnixTimeSeconds();
        customer["email"] = session["customer_email"]?.ToString();
        customer["name"] = null;
        customer["metadata"] = new JsonObject();
        customer["discount"] = null;
        State.Put(customer);
        var id = customer["id"]!.ToString();
        session["customer"] = id;
        return id;
    }

    private static JsonObject CustomerDetails(JsonObject? customer) => new()
    {
        ["address"] = null,
        ["business_name"] = customer?["name"]?.ToString(),
        ["email"] = customer?["email"]?.ToString(),
        ["individual_name"] = null,
        ["name"] = customer?["name"]?.ToString(),
        ["phone"] = null,
        ["tax_exempt"] = "reverse",
        ["tax_ids"] = new JsonArray(new JsonObject { ["type"] = "eu_vat", ["value"] = "NL000099998B57" }),
    };

    private long AmountOf(IEnumerable<StripeFakeItem> items) =>
        items.Sum(item => (item.Quantity ?? 0) * PriceAmounts.GetValueOrDefault(item.PriceId));

    private JsonObject LiveCheckoutSession(string sessionId) =>
        State.Live(sessionId) is { } live && live["object"]?.ToString() == "checkout.session"
            ? live
            : throw new InvalidOperationException($"No such checkout.session: '{sessionId}'");
}
