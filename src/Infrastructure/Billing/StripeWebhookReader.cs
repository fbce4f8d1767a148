using System.Text.Json;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.RecordStripeWebhook;
using Stripe;
using Subject = CustomerInfo.Application.Billing.RecordStripeWebhook.StripeEventSubject;

namespace CustomerInfo.Infrastructure.Billing;

/// <summary>The webhook's body read: the event, or why it is refused (a short reason for the 400 and the log, never the payload).</summary>
public sealed record StripeWebhookReading(StripeEventNotice? Notice, string? Refusal)
{
    public static StripeWebhookReading Refuse(string reason) => new(null, reason);
}

/// <summary>
/// Checks a webhook delivery as Stripe.net does (<see cref="EventUtility"/>: the signature, a timestamp
/// within the tolerance so an old delivery cannot be replayed, the API version Stripe.net pins) and
/// turns Stripe's event into Application's plain <see cref="StripeEventNotice"/>. Each check answers
/// its own reason, so the log says which one failed.
/// </summary>
public static class StripeWebhookReader
{
    /// <summary>Stripe's own default: a signature older than five minutes is a replay.</summary>
    public const long ToleranceSeconds = 300;

    public static StripeWebhookReading Read(string json, string? signatureHeader, string secret)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return StripeWebhookReading.Refuse("No Stripe-Signature header.");
        }

        try
        {
            EventUtility.ValidateSignature(json, signatureHeader, secret, ToleranceSeconds);
        }
        catch (StripeException refused)
        {
            return StripeWebhookReading.Refuse(refused.Message.Contains("tolerance", StringComparison.OrdinalIgnoreCase)
                ? "The signature's timestamp is more than five minutes old (a replay)."
                : "The signature does not match.");
        }

        if (ApiVersionOf(json) is not { } version)
        {
            return StripeWebhookReading.Refuse("The body is not a Stripe event.");
        }

        if (!string.Equals(version, StripeConfiguration.ApiVersion, StringComparison.Ordinal))
        {
            return StripeWebhookReading.Refuse($"API version {version} is not {StripeConfiguration.ApiVersion}, the one this app reads.");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ParseEvent(json, throwOnApiVersionMismatch: true);
        }
        catch (Exception unreadable) when (unreadable is StripeException or Newtonsoft.Json.JsonException)
        {
            return StripeWebhookReading.Refuse("The body is not a Stripe event.");
        }

        return SubjectOf(stripeEvent) is { } subject
            ? new StripeWebhookReading(new StripeEventNotice(stripeEvent.Id, stripeEvent.Type, Utc(stripeEvent.Created), subject), null)
            : StripeWebhookReading.Refuse($"A {stripeEvent.Type} event without its object.");
    }

    /// <summary>The event's <c>api_version</c>; null when the body is not JSON or not an event with an id.</summary>
    private static string? ApiVersionOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind is JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String
                && root.TryGetProperty("api_version", out var version) && version.ValueKind is JsonValueKind.String
                ? version.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Null when a type we act on comes without the object it is about.</summary>
    private static Subject? SubjectOf(Event stripeEvent) => (stripeEvent.Type, stripeEvent.Data?.Object) switch
    {
        (EventTypes.CheckoutSessionCompleted, Stripe.Checkout.Session session) => new Subject.CheckoutCompleted(
            session.Id, session.CustomerId, TenantIdOf(session), session.SubscriptionId, session.PaymentStatus ?? string.Empty,
            session.Metadata?.GetValueOrDefault("plan_id")),
        (EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted, Subscription subscription)
            => new Subject.SubscriptionChanged(StateOf(subscription)),
        (EventTypes.CustomerSubscriptionTrialWillEnd, Subscription subscription) => new Subject.TrialWillEnd(subscription.CustomerId, subscription.Id),
        (EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed, Invoice invoice) => new Subject.InvoiceSettled(
            invoice.Id, invoice.CustomerId, invoice.Parent?.SubscriptionDetails?.SubscriptionId, stripeEvent.Type == EventTypes.InvoicePaid),
        (EventTypes.CheckoutSessionCompleted or EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated
            or EventTypes.CustomerSubscriptionDeleted or EventTypes.CustomerSubscriptionTrialWillEnd or EventTypes.InvoicePaid
            or EventTypes.InvoicePaymentFailed, _) => null,
        _ => new Subject.Other(),
    };

    /// <summary>Checkout carries our tenant id as <c>client_reference_id</c>, and in its metadata for sessions made otherwise.</summary>
    private static Guid? TenantIdOf(Stripe.Checkout.Session session) =>
        Guid.TryParse(session.ClientReferenceId, out var id) || Guid.TryParse(session.Metadata?.GetValueOrDefault("tenant_id"), out id) ? id : null;

    private static StripeSubscriptionState StateOf(Subscription subscription) => StripeBilling.StateOf(subscription);

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
