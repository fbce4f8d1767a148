using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

/// <summary>
/// Customer Portal sessions (<c>POST /v1/billing_portal/sessions</c>) and the hosted Portal page at
/// the session's <c>url</c>: it acts on the customer's newest subscription that has not ended
/// (cancel it, make the next payment fail, pay the open invoice), each through the same methods the
/// tests use, so each sends Stripe's events; "Return" goes back to <c>return_url</c>.
/// </summary>
public sealed partial class StripeFakeServer
{
    private void MapPortal(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/billing_portal/sessions", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            var customer = request.Param("customer");
            if (string.IsNullOrEmpty(customer))
            {
                return StripeErrors.Result(StripeErrors.Missing("customer"));
            }

            if (State.Get(customer)?["object"]?.ToString() != "customer")
            {
                return StripeErrors.Result(StripeErrors.NoSuch("customer", customer, "customer"));
            }

            // Stripe falls back to the portal configuration's default; the fake has no configuration.
            if (request.Param("return_url") is not { Length: > 0 } returnUrl || !Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
            {
                return StripeErrors.Result(StripeErrors.Missing("return_url"));
            }

            var session = StripeFixtures.New("billing_portal.session");
            var id = StripeFakeState.NewId("bps");
            session["id"] = id;
            session["created"] = State.Now.ToUnixTimeSeconds();
            session["customer"] = customer;
            session["livemode"] = false;
            session["locale"] = request.Param("locale");
            session["flow"] = null;
            session["return_url"] = returnUrl;
            session["url"] = $"{BaseUrl}/portal/{id}";
            lock (State.Gate)
            {
                State.Put(session);
            }

            return Results.Json(session.DeepClone());
        });

        routes.MapGet("/portal/{id}", (string id) => PortalPage(id, done: null));
        routes.MapPost("/portal/{id}/cancel", (string id, CancellationToken cancellationToken) =>
            OnSubscriptionAsync(id, "Your subscription is canceled.", subscription => DeleteSubscriptionAsync(subscription, cancellationToken)));
        routes.MapPost("/portal/{id}/fail", (string id, CancellationToken cancellationToken) =>
            OnSubscriptionAsync(id, "The payment failed: an invoice is open.", subscription => InvoiceAsync(subscription, SubscriptionAmount(subscription), paid: false, cancellationToken)));
        routes.MapPost("/portal/{id}/pay", (string id, CancellationToken cancellationToken) =>
            OnSubscriptionAsync(id, "The invoice is paid.", subscription => InvoiceAsync(subscription, SubscriptionAmount(subscription), paid: true, cancellationToken)));
        routes.MapPost("/portal/{id}/return", (string id) =>
            State.Get(id) is { } session && session["object"]?.ToString() == "billing_portal.session"
                ? HostedPage.SeeOther(session["return_url"]!.ToString())
                : PortalPage(id, done: null));
    }

    private async Task<IResult> OnSubscriptionAsync(string sessionId, string done, Func<string, Task<JsonObject>> action)
    {
        if (PortalSubscription(sessionId) is not { } subscription)
        {
            return PortalPage(sessionId, done: null);
        }

        await action(subscription["id"]!.ToString());
        return PortalPage(sessionId, done);
    }

    /// <summary>The portal's customer's newest subscription that has not ended, or null.</summary>
    private JsonObject? PortalSubscription(string sessionId) =>
        State.Get(sessionId) is { } session && session["object"]?.ToString() == "billing_portal.session"
            ? SubscriptionsOf(session["customer"]!.ToString()).FirstOrDefault(s => s["status"]?.ToString() != "canceled")
            : null;

    private IResult PortalPage(string id, string? done)
    {
        if (State.Get(id) is not { } session || session["object"]?.ToString() != "billing_portal.session")
        {
            return HostedPage.Render("Portal not found", HostedPage.Alert("There is no such portal session."), StatusCodes.Status404NotFound);
        }

        var body = new StringBuilder();
        if (done is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p role=\"status\">{HostedPage.Encode(done)}</p>");
        }

        if (PortalSubscription(id) is { } subscription)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Subscription <code>{HostedPage.Encode(subscription["id"]?.ToString())}</code> is <strong>{HostedPage.Encode(subscription["status"]?.ToString())}</strong>.</p>");
            body.Append(HostedPage.Button($"/portal/{id}/pay", "Pay the open invoice"));
            body.Append(HostedPage.Button($"/portal/{id}/fail", "Next payment fails"));
            body.Append(HostedPage.Button($"/portal/{id}/cancel", "Cancel subscription"));
        }
        else
        {
            body.Append("<p>There is no subscription to manage.</p>");
        }

        body.Append(HostedPage.Button($"/portal/{id}/return", "Return", primary: true));
        return HostedPage.Render("Billing portal", body.ToString());
    }

    private long SubscriptionAmount(string subscriptionId) =>
        AmountOf((State.Get(subscriptionId)?["items"]?["data"] as JsonArray ?? [])
            .Select(line => new StripeFakeItem(line!["price"]!["id"]!.ToString(), line["quantity"]?.GetValue<long>())));
}
