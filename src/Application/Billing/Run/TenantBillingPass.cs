using System.Globalization;
using CustomerInfo.Application.Billing.Usage;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.Run;

/// <summary>
/// The billing run's work for one tenant with a Stripe customer: reconcile its lifecycle with the
/// subscription as Stripe holds it now (catching a missed webhook), end a grace period that is over,
/// set the subscription's quantity to the active stores, and report the complete days of kiosk
/// sign-ups. Every step compares before it writes, so a second pass changes nothing. Stripe's
/// failures propagate: the run records them for this tenant and goes on.
/// </summary>
public sealed class TenantBillingPass(IDocumentStore store, IStripeBilling stripe, TenantFacts facts, UsageReporting usage, IOptions<BillingOptions> options)
{
    /// <returns>The tenant's status after the pass (the caller stores it).</returns>
    public async Task<TenantBillingStatus> RunAsync(Tenant tenant, TenantBillingStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var succeeded = status with { LastRunAt = now, LastSucceededAt = now, LastError = null, LastErrorAt = null };
        if (await stripe.GetSubscriptionAsync(tenant.StripeCustomerId!, cancellationToken) is not { } subscription)
        {
            return succeeded;
        }

        tenant = await ReconcileAsync(tenant, subscription, now, cancellationToken);
        // An ended or unfinished subscription takes no quantity and no usage.
        if (subscription.Status is not ("active" or "trialing" or "past_due" or "unpaid"))
        {
            return succeeded;
        }

        await using var session = store.LightweightSession(tenant.Id.ToString());
        var stores = await SetStoreQuantityAsync(session, tenant, subscription, now, cancellationToken);
        var reportedThrough = await usage.ReportAsync(session, tenant, subscription, now, cancellationToken);
        return succeeded with
        {
            StoreQuantity = stores ?? status.StoreQuantity,
            ReportedThrough = reportedThrough ?? status.ReportedThrough,
        };
    }

    private async Task<Tenant> ReconcileAsync(Tenant tenant, StripeSubscriptionState subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SubscriptionFacts.From(subscription, tenant, options.Value, now) is { } fact)
        {
            tenant = (await facts.RecordAsync(tenant.Id, fact, cancellationToken)).Tenant ?? tenant;
        }

        // Nothing else closes the kiosk's grace period in the lifecycle: the run records it when it is over.
        var billingStatus = tenant.Status is TenantStatus.Suspended ? tenant.SuspendedFrom : tenant.Status;
        if (billingStatus is TenantStatus.PastDue && tenant.GraceEndsAt is { } graceEnds && graceEnds <= now)
        {
            tenant = (await facts.RecordAsync(tenant.Id, new TenantFact.EndGrace(now), cancellationToken)).Tenant ?? tenant;
        }

        return tenant;
    }

    /// <returns>The active stores, now the item's quantity; null when the subscription has no per-store item.</returns>
    private async Task<int?> SetStoreQuantityAsync(IDocumentSession session, Tenant tenant, StripeSubscriptionState subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (StoreItem(subscription, tenant) is not { } item)
        {
            return null;
        }

        var stores = await session.Query<RetailStore>().CountAsync(s => s.Status == StoreStatus.Active, cancellationToken);
        if (item.Quantity != stores)
        {
            // Same tenant, quantity and day: a retried run's request is replayed by Stripe, not repeated.
            var key = $"{tenant.Id:N}-stores-{stores}-{now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
            await stripe.SetStoreQuantityAsync(item.Id, stores, key, cancellationToken);
        }

        return stores;
    }

    /// <summary>The item priced per store: the tenant's own price, its plan's, or else the one with a quantity.</summary>
    private StripeSubscriptionItem? StoreItem(StripeSubscriptionState subscription, Tenant tenant)
    {
        var priceId = tenant.CustomStorePriceId ?? options.Value.Plan(SubscriptionFacts.PlanOf(subscription, tenant, options.Value))?.StorePriceId;
        return subscription.Items.FirstOrDefault(i => string.Equals(i.PriceId, priceId, StringComparison.Ordinal))
            ?? subscription.Items.FirstOrDefault(i => i.Quantity is not null);
    }
}
