namespace CustomerInfo.Application.Billing.RecordStripeWebhook;

/// <summary>What became of a Stripe event; stored with it.</summary>
public enum StripeEventOutcome
{
    /// <summary>Its facts were recorded (or the tenant was already so: the decider said nothing to do).</summary>
    Handled,

    /// <summary>A type we do not act on, or one we only note (a Stripe trial ending).</summary>
    Ignored,

    /// <summary>No tenant has the event's customer (another app on the same Stripe account, or a deleted tenant).</summary>
    UnknownCustomer,

    /// <summary>The lifecycle refused it (a checkout naming a tenant that has another customer): retrying cannot help.</summary>
    Refused,

    /// <summary>Not stored again: the event was handled before (a retry or a replay by Stripe).</summary>
    Duplicate,
}

/// <summary>
/// One Stripe event, stored once (global document, id = Stripe's event id, so a second insert of the
/// same id fails). It is written in the same transaction as the event's last tenant change, or after
/// it when there was none, so a stored record means the event was handled (ADR 0021).
/// </summary>
public sealed record StripeEventRecord(string Id, string Type, DateTimeOffset Created, DateTimeOffset ReceivedAt, StripeEventOutcome Outcome)
{
    /// <summary>The tenant the event was about, when one was found.</summary>
    public Guid? TenantId { get; init; }
}
