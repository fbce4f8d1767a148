using System.Globalization;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Billing;

namespace CustomerInfo.Infrastructure.Billing;

/// <summary>
/// <see cref="IStripeBilling"/> with Stripe.net: every call through <see cref="StripeCalls"/>, every
/// write with an idempotency key made from our own ids.
/// </summary>
internal sealed partial class StripeBilling(IStripeClient client, IOptions<BillingOptions> billing, ILogger<StripeBilling> logger) : IStripeBilling
{
    // Stripe's answer to a meter event whose identifier it has seen (it gives no code): that day is reported.
    private const string IdentifierUsed = "An event already exists with identifier";

    public async Task<StripeSubscriptionState?> GetSubscriptionAsync(string customerId, CancellationToken cancellationToken)
    {
        // Newest first, canceled ones included: the newest says where the tenant stands.
        var options = new SubscriptionListOptions { Customer = customerId, Status = "all", Limit = 1 };
        var subscriptions = await StripeCalls.RunAsync(() => new SubscriptionService(client).ListAsync(options, cancellationToken: cancellationToken), cancellationToken);
        return subscriptions.Data.FirstOrDefault() is { } subscription ? StateOf(subscription) : null;
    }

    public Task SetStoreQuantityAsync(string subscriptionItemId, int stores, string idempotencyKey, CancellationToken cancellationToken) =>
        StripeCalls.RunAsync(
            () => new SubscriptionItemService(client).UpdateAsync(
                subscriptionItemId,
                new SubscriptionItemUpdateOptions { Quantity = stores },
                new RequestOptions { IdempotencyKey = idempotencyKey },
                cancellationToken),
            cancellationToken);

    public async Task ReportUsageAsync(string customerId, DateOnly day, long signUps, string identifier, CancellationToken cancellationToken)
    {
        var options = new MeterEventCreateOptions
        {
            EventName = billing.Value.MeterEventName,
            Identifier = identifier,
            Payload = new Dictionary<string, string>
            {
                ["stripe_customer_id"] = customerId,
                ["value"] = signUps.ToString(CultureInfo.InvariantCulture),
            },
            Timestamp = UsageDays.MeterTimestamp(day).UtcDateTime,
        };
        try
        {
            await StripeCalls.RunAsync(
                () => new MeterEventService(client).CreateAsync(options, new RequestOptions { IdempotencyKey = identifier }, cancellationToken),
                cancellationToken);
        }
        catch (StripeRefusedException refused) when (refused.Message.StartsWith(IdentifierUsed, StringComparison.Ordinal))
        {
            // An earlier attempt reached Stripe and its answer was lost: the day is counted already.
            LogAlreadyReported(identifier);
        }
    }

    public async Task<InvoicePreview?> PreviewNextInvoiceAsync(string customerId, CancellationToken cancellationToken)
    {
        // Stripe previews one subscription's next invoice, not a customer's (API version 2025-03-31 on).
        if (await GetSubscriptionAsync(customerId, cancellationToken) is not { Status: not ("canceled" or "incomplete_expired") } subscription)
        {
            return null;
        }

        var options = new InvoiceCreatePreviewOptions { Customer = customerId, Subscription = subscription.Id };
        try
        {
            var invoice = await StripeCalls.RunAsync(() => new InvoiceService(client).CreatePreviewAsync(options, cancellationToken: cancellationToken), cancellationToken);
            return new InvoicePreview(invoice.AmountDue, invoice.Currency, At(invoice.NextPaymentAttempt) ?? At(invoice.PeriodEnd));
        }
        catch (StripeRefusedException refused) when (refused.Code is "invoice_upcoming_none")
        {
            return null;
        }
    }

    /// <summary>A Stripe.net subscription as the port knows it; the webhook reads its events' subscriptions with it too.</summary>
    internal static StripeSubscriptionState StateOf(Subscription subscription)
    {
        var items = subscription.Items?.Data ?? [];
        return new StripeSubscriptionState(
            subscription.Id,
            subscription.CustomerId,
            subscription.Status,
            [.. items.Select(i => new StripeSubscriptionItem(i.Id, i.Price?.Id ?? string.Empty, i.Price?.Recurring?.UsageType == "metered" ? null : i.Quantity))],
            At(subscription.Created)!.Value,
            At(subscription.CanceledAt),
            At(subscription.EndedAt),
            items.Count == 0 ? null : At(items.Max(i => i.CurrentPeriodEnd)),
            subscription.CancelAtPeriodEnd);
    }

    private static DateTimeOffset? At(DateTime? time) =>
        time is { } value && value != default ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe already holds meter event {Identifier}: the day counts as reported")]
    private partial void LogAlreadyReported(string identifier);
}
