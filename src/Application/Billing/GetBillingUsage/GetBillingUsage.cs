using CustomerInfo.Application.Billing.Usage;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.GetBillingUsage;

/// <summary>
/// The usage card of the admin's billing page (issue 13 §4): this month's kiosk sign-ups against what
/// the plan includes, and the next invoice as Stripe previews it now. The host's tenant is the one
/// asked about, so an Owner never sees another store's figures.
/// </summary>
[RequiresRole(TeamRole.Owner)]
public sealed record GetBillingUsageQuery : IQuery<BillingUsage>;

/// <param name="Month">The first day of the UTC month counted (the billing run reports UTC days too).</param>
/// <param name="IncludedSignUps">What the tenant's plan includes a month; 0 without a plan.</param>
/// <param name="NextInvoice">Null when there is no subscription or Stripe cannot be asked right now.</param>
public sealed record BillingUsage(DateOnly Month, long KioskSignUps, int IncludedSignUps, InvoicePreview? NextInvoice);

public sealed partial class GetBillingUsageHandler(
    IQuerySession session, ITenantContext tenantContext, IStripeBilling stripe, IOptions<BillingOptions> options, IClock clock, ILogger<GetBillingUsageHandler> logger)
    : IQueryHandler<GetBillingUsageQuery, BillingUsage>
{
    public async ValueTask<BillingUsage> Handle(GetBillingUsageQuery query, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.RequiredTenant;
        var today = UsageDays.DayOf(clock.UtcNow);
        var month = new DayRange(new DateOnly(today.Year, today.Month, 1), today);
        var counts = await KioskSignUpCounts.PerDayAsync(session, month, cancellationToken);
        var plan = options.Value.Plan(tenant.PlanId) ?? options.Value.Plans.FirstOrDefault();
        return new BillingUsage(month.From, counts.Values.Sum(), plan?.IncludedSignUps ?? 0, await PreviewAsync(tenant.Id, tenant.StripeCustomerId, cancellationToken));
    }

    private async Task<InvoicePreview?> PreviewAsync(Guid tenantId, string? customerId, CancellationToken cancellationToken)
    {
        if (customerId is null)
        {
            return null;
        }

        try
        {
            return await stripe.PreviewNextInvoiceAsync(customerId, cancellationToken);
        }
        catch (Exception failure) when (failure is StripeUnavailableException or StripeRefusedException)
        {
            // The page shows "not available right now" instead of failing.
            LogPreviewFailed(tenantId, failure.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No invoice preview for tenant {TenantId}: {Reason}")]
    private partial void LogPreviewFailed(Guid tenantId, string reason);
}
