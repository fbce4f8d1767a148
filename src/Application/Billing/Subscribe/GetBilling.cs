using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.Subscribe;

/// <summary>What the Owner's billing page shows; also polled by the page that waits for Stripe's confirmation.</summary>
[RequiresRole(TeamRole.Owner)]
public sealed record GetBillingQuery : IQuery<BillingView>;

/// <param name="Plan">The plan subscribed to, or null.</param>
/// <param name="OwnPrice">The platform owner gave this tenant its own price per store (the plan's amount is not what it pays).</param>
public sealed record BillingView(
    TenantStatus Status, BillingState State, bool KioskOpen, BillingPlan? Plan, IReadOnlyList<BillingPlan> Plans,
    DateTimeOffset? TrialEndsAt, DateTimeOffset? GraceEndsAt, DateTimeOffset? CanceledAt, bool HasCustomer, bool OwnPrice)
{
    /// <summary>Checkout is offered: there are plans and no subscription runs (nor is the data erased).</summary>
    public bool CanSubscribe => Plans.Count > 0 && State is BillingState.NotSubscribed or BillingState.Canceled;

    /// <summary>The portal is offered once Stripe knows the tenant (card, invoices, even after a cancel).</summary>
    public bool CanManage => HasCustomer && State is not BillingState.Erased;
}

/// <summary>Reads the tenant document itself, not the request's cached copy: the page that waits for the webhook must see it land.</summary>
public sealed class GetBillingHandler(IQuerySession session, ITenantContext tenantContext, IOptions<BillingOptions> billing, IClock clock)
    : IQueryHandler<GetBillingQuery, BillingView>
{
    public async ValueTask<BillingView> Handle(GetBillingQuery query, CancellationToken cancellationToken)
    {
        var options = billing.Value;
        var tenant = await session.LoadAsync<Tenant>(tenantContext.RequiredTenant.Id, cancellationToken) ?? tenantContext.RequiredTenant;
        var now = clock.UtcNow;
        return new BillingView(
            tenant.Status,
            BillingStates.Of(tenant, options, now),
            tenant.IsKioskOpenAt(now),
            options.Plan(tenant.PlanId),
            options.Plans,
            tenant.TrialEndsAt,
            tenant.GraceEndsAt,
            tenant.CanceledAt,
            tenant.StripeCustomerId is not null,
            tenant.CustomStorePriceId is not null);
    }
}
