using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using JasperFx;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.RecordStripeWebhook;

/// <summary>
/// A signed Stripe event, once: what it means for its tenant's lifecycle is recorded, and the event is
/// stored (<see cref="StripeEventRecord"/>) in the same transaction as the last change it makes. Sent
/// only by the webhook endpoint, as the system, after it checked the signature.
/// </summary>
[SystemMaySend]
public sealed record RecordStripeWebhookCommand(StripeEventNotice Notice) : ICommand<StripeEventOutcome>;

/// <summary>
/// Decides from the event's time and the object's current state, never from arrival order: the
/// lifecycle ignores stale facts and facts about a deleted subscription (ADR 0021). Throws when the
/// database fails, so the endpoint answers 5xx and Stripe delivers again; facts already recorded by
/// the failed attempt are then "nothing to do", and the event is stored with the rest.
/// </summary>
public sealed partial class RecordStripeWebhookHandler(
    IDocumentStore store, TenantFacts facts, IOptions<BillingOptions> billing, IClock clock, ILogger<RecordStripeWebhookHandler> logger)
    : ICommandHandler<RecordStripeWebhookCommand, StripeEventOutcome>
{
    public async ValueTask<StripeEventOutcome> Handle(RecordStripeWebhookCommand command, CancellationToken cancellationToken)
    {
        var notice = command.Notice;
        var customer = CustomerOf(notice.Subject);
        Tenant? tenant;
        IReadOnlyList<TenantFact> tenantFacts;
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<StripeEventRecord>(notice.Id, cancellationToken) is not null)
            {
                LogDuplicate(notice.Id, notice.Type);
                return StripeEventOutcome.Duplicate;
            }

            tenant = await TenantOfAsync(query, notice.Subject, cancellationToken);
            tenantFacts = tenant is null ? [] : FactsOf(notice, tenant);
        }

        var record = new StripeEventRecord(notice.Id, notice.Type, notice.Created, clock.UtcNow, StripeEventOutcome.Handled) { TenantId = tenant?.Id };
        var outcome = await RecordAsync(tenant?.Id, tenantFacts, record, OutcomeWithoutFacts(notice, tenant), cancellationToken);
        switch (outcome)
        {
            case StripeEventOutcome.Duplicate:
                LogDuplicate(notice.Id, notice.Type);
                break;
            case StripeEventOutcome.UnknownCustomer:
                LogUnknownCustomer(notice.Id, notice.Type, customer);
                break;
            default:
                LogOutcome(notice.Id, notice.Type, tenant?.Id, outcome);
                break;
        }

        return outcome;
    }

    private static async Task<Tenant?> TenantOfAsync(IQuerySession query, StripeEventSubject subject, CancellationToken cancellationToken)
    {
        if (subject is StripeEventSubject.CheckoutCompleted { TenantId: { } tenantId }
            && await query.LoadAsync<Tenant>(tenantId, cancellationToken) is { } named)
        {
            return named;
        }

        return CustomerOf(subject) is { } customer
            ? await query.Query<Tenant>().FirstOrDefaultAsync(t => t.StripeCustomerId == customer, cancellationToken)
            : null;
    }

    private static string? CustomerOf(StripeEventSubject subject) => subject switch
    {
        StripeEventSubject.CheckoutCompleted checkout => checkout.CustomerId,
        StripeEventSubject.SubscriptionChanged changed => changed.Subscription.CustomerId,
        StripeEventSubject.TrialWillEnd trial => trial.CustomerId,
        StripeEventSubject.InvoiceSettled invoice => invoice.CustomerId,
        _ => null,
    };

    /// <summary>The lifecycle facts the event states, oldest meaning first (a checkout links the customer before it grants the plan).</summary>
    private List<TenantFact> FactsOf(StripeEventNotice notice, Tenant tenant)
    {
        var at = notice.Created;
        var options = billing.Value;
        switch (notice.Subject)
        {
            case StripeEventSubject.CheckoutCompleted checkout when checkout.CustomerId is { } customer:
                List<TenantFact> checkoutFacts = [new TenantFact.LinkStripeCustomer(customer, at)];
                // "unpaid" is a delayed payment method still settling: the subscription's own events grant the plan when it is paid.
                if (checkout.SubscriptionId is { } subscription && checkout.PaymentStatus is "paid" or "no_payment_required")
                {
                    var plan = options.Plan(checkout.PlanId)?.Id ?? tenant.PlanId ?? options.Plans.FirstOrDefault()?.Id;
                    if (plan is not null)
                    {
                        checkoutFacts.Add(new TenantFact.SubscriptionActive(subscription, plan, at));
                    }
                }

                return checkoutFacts;
            case StripeEventSubject.SubscriptionChanged changed:
                return SubscriptionFacts.From(changed.Subscription, tenant, options, at) is { } fact ? [fact] : [];
            case StripeEventSubject.InvoiceSettled { SubscriptionId: { } paidFor, Paid: true }:
                return [new TenantFact.InvoicePaid(paidFor, at)];
            case StripeEventSubject.InvoiceSettled { SubscriptionId: { } unpaid, Paid: false }:
                return [new TenantFact.PaymentFailed(unpaid, at.AddDays(options.GraceDays), at)];
            default:
                // A trial ending (we give no Stripe trials: ours is the lifecycle's, before any subscription),
                // an invoice outside a subscription, a type we do not handle: noted, nothing to change.
                return [];
        }
    }

    private static StripeEventOutcome OutcomeWithoutFacts(StripeEventNotice notice, Tenant? tenant) =>
        tenant is null && CustomerOf(notice.Subject) is not null ? StripeEventOutcome.UnknownCustomer : StripeEventOutcome.Ignored;

    /// <summary>
    /// Records each fact; the event's record goes into the transaction of the last one when that one
    /// changes the tenant, else it is stored on its own afterwards. A refusal stops: later facts depend on it.
    /// </summary>
    private async Task<StripeEventOutcome> RecordAsync(
        Guid? tenantId, IReadOnlyList<TenantFact> tenantFacts, StripeEventRecord record, StripeEventOutcome withoutFacts, CancellationToken cancellationToken)
    {
        var outcome = tenantFacts.Count == 0 ? withoutFacts : StripeEventOutcome.Handled;
        try
        {
            for (var i = 0; i < tenantFacts.Count; i++)
            {
                var last = i == tenantFacts.Count - 1;
                var change = await facts.RecordAsync(
                    tenantId!.Value, tenantFacts[i], last ? (session, _) => session.Insert(record) : null, cancellationToken);
                if (change.IsRefused)
                {
                    LogRefused(record.Id, tenantId.Value, change.Refusal!.Value);
                    outcome = StripeEventOutcome.Refused;
                    break;
                }

                if (last && change.Outcome is TenantChangeOutcome.Changed)
                {
                    return outcome;
                }
            }

            await StoreAsync(record with { Outcome = outcome }, cancellationToken);
            return outcome;
        }
        catch (DocumentAlreadyExistsException)
        {
            // The same event delivered twice at once: the other delivery stored it (with its facts) first.
            return StripeEventOutcome.Duplicate;
        }
    }

    private async Task StoreAsync(StripeEventRecord record, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Insert(record);
        await session.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) was handled before: nothing done again")]
    private partial void LogDuplicate(string eventId, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) for tenant {TenantId}: {Outcome}")]
    private partial void LogOutcome(string eventId, string type, Guid? tenantId, StripeEventOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) is about customer {CustomerId}, which no tenant has: stored, nothing changed")]
    private partial void LogUnknownCustomer(string eventId, string type, string? customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} refused for tenant {TenantId}: {Refusal}")]
    private partial void LogRefused(string eventId, Guid tenantId, TenantRefusal refusal);
}
