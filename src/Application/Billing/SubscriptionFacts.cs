using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Billing;

/// <summary>
/// What a subscription's current state means for the tenant's lifecycle: the one mapping the webhook
/// (subscription created/updated/deleted) and the billing run's reconciliation both use, so they
/// cannot disagree. <paramref name="at"/> is the state's time (the event's <c>created</c>, or now
/// for a state just read from Stripe).
/// </summary>
public static class SubscriptionFacts
{
    public static TenantFact? From(StripeSubscriptionState subscription, Tenant tenant, BillingOptions billing, DateTimeOffset at)
    {
        switch (subscription.Status)
        {
            case "active" or "trialing":
                var plan = PlanOf(subscription, tenant, billing);
                return plan is null ? null : new TenantFact.SubscriptionActive(subscription.Id, plan, at);
            case "past_due" or "unpaid":
                var graceEnds = tenant.GraceEndsAt is { } known && string.Equals(tenant.SubscriptionId, subscription.Id, StringComparison.Ordinal)
                    ? known
                    : at.AddDays(billing.GraceDays);
                return new TenantFact.PaymentFailed(subscription.Id, graceEnds, at);
            case "canceled" or "incomplete_expired":
                return new TenantFact.SubscriptionDeleted(subscription.Id, subscription.EndedAt ?? subscription.CanceledAt ?? at);
            default:
                // incomplete, paused: Checkout has not finished, nothing is granted yet.
                return null;
        }
    }

    /// <summary>The plan whose price the subscription holds; a tenant on its own price keeps the plan it has.</summary>
    public static string? PlanOf(StripeSubscriptionState subscription, Tenant tenant, BillingOptions billing)
    {
        foreach (var item in subscription.Items)
        {
            if (billing.PlanOfPrice(item.PriceId) is { } plan)
            {
                return plan.Id;
            }
        }

        return tenant.PlanId ?? billing.Plans.FirstOrDefault()?.Id;
    }
}
