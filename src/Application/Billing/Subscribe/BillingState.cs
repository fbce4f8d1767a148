using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Billing.Subscribe;

/// <summary>Where a tenant stands with its subscription: what the billing page offers and what Checkout allows.</summary>
public enum BillingState
{
    /// <summary>No running subscription (a trial, a trial that ended, a retailer the platform owner onboarded): Checkout is offered.</summary>
    NotSubscribed,

    /// <summary>A subscription runs (active, past due or unpaid): the portal manages it.</summary>
    Subscribed,

    /// <summary>The subscription ended; the admin is read-only until the data is erased, and subscribing again is allowed.</summary>
    Canceled,

    /// <summary>The canceled store's data was erased (<see cref="Tenant.DataErasedAt"/>), or is due to be: its read-only days are over.</summary>
    Erased,
}

public static class BillingStates
{
    public static BillingState Of(Tenant tenant, BillingOptions billing, DateTimeOffset now)
    {
        // A suspension pauses the store, not the subscription: judge by the state it returns to.
        var status = tenant.Status is TenantStatus.Suspended ? tenant.SuspendedFrom ?? TenantStatus.Active : tenant.Status;
        var running = tenant.SubscriptionId is { } id && !string.Equals(tenant.EndedSubscriptionId, id, StringComparison.Ordinal);
        return status switch
        {
            TenantStatus.Canceled when tenant.DataErasedAt is not null || (tenant.CanceledAt is { } at && now >= at.AddDays(billing.ReadOnlyDays)) => BillingState.Erased,
            TenantStatus.Canceled => BillingState.Canceled,
            TenantStatus.Active or TenantStatus.PastDue or TenantStatus.Unpaid when running => BillingState.Subscribed,
            _ => BillingState.NotSubscribed,
        };
    }
}
