namespace CustomerInfo.Application.Billing;

/// <summary>
/// What the billing run last did for one tenant (global document, id = tenant id): written by the run,
/// shown on the owner console. <see cref="LastError"/> is Stripe's message (no keys, no personal data)
/// and stays until a later run succeeds for that tenant.
/// </summary>
public sealed record TenantBillingStatus(Guid Id)
{
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The run's last successful pass over this tenant.</summary>
    public DateTimeOffset? LastSucceededAt { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The subscription quantity last set (active stores).</summary>
    public int? StoreQuantity { get; init; }

    /// <summary>The newest day whose kiosk sign-ups were reported to the meter (the tenant's own ledger holds each day).</summary>
    public DateOnly? ReportedThrough { get; init; }
}
