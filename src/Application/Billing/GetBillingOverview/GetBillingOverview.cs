using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.GetBillingOverview;

/// <summary>The owner console's stores with what each pays and uses, and the platform's totals.</summary>
[PlatformOwnerOnly]
public sealed record GetBillingOverviewQuery : IQuery<BillingOverview>;

/// <param name="Mrr">Monthly recurring revenue, VAT excluded, of the tenants that pay now (active and past due).</param>
/// <param name="PastDue">Past due, still in their grace period.</param>
/// <param name="Unpaid">Past due beyond the grace period: their kiosks are closed.</param>
public sealed record BillingOverview(IReadOnlyList<TenantBilling> Tenants, decimal Mrr, int InTrial, int PastDue, int Unpaid);

/// <summary>One tenant's line: <paramref name="Plan"/> is null when it has none (or its plan is no longer configured).</summary>
public sealed record TenantBilling(Tenant Tenant, BillingPlan? Plan, int ActiveStores, int KioskSignUpsThisMonth, decimal Mrr, TenantBillingStatus? LastRun)
{
    public bool OwnPrice => Tenant.CustomStorePriceId is not null;
}

/// <summary>One row of a grouped count: a tenant and its number.</summary>
public sealed record TenantCount(string TenantId, int Count);

/// <summary>
/// A fixed number of queries whatever the number of tenants: the tenants, their billing statuses,
/// and two counts grouped by tenant in PostgreSQL (active stores; kiosk sign-ups received this
/// calendar month, UTC, which reads only the month's rows through the received_at column).
/// </summary>
public sealed class GetBillingOverviewHandler(IDocumentStore store, IOptions<BillingOptions> billing, IClock clock)
    : IQueryHandler<GetBillingOverviewQuery, BillingOverview>
{
    private const string ActiveStoresSql = """
        select json_build_object('TenantId', s.tenant_id, 'Count', count(*))
        from {table} as s
        where coalesce((s.data ->> 'Status')::int, 0) = 0
        group by s.tenant_id
        """;

    private const string KioskSignUpsSql = """
        select json_build_object('TenantId', s.tenant_id, 'Count', count(*))
        from {table} as s
        where s.received_at >= ? and s.received_at < ? and coalesce(s.source, 0) = 0
        group by s.tenant_id
        """;

    public async ValueTask<BillingOverview> Handle(GetBillingOverviewQuery query, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        await using var session = store.QuerySession();
        var tenants = await session.Query<Tenant>().OrderByDescending(t => t.OnboardedAt).ToListAsync(cancellationToken);
        var statuses = (await session.Query<TenantBillingStatus>().ToListAsync(cancellationToken)).ToDictionary(s => s.Id);
        var stores = await CountAsync(session, typeof(RetailStore), ActiveStoresSql, cancellationToken);
        var signUps = await CountAsync(session, typeof(SignUpSummary), KioskSignUpsSql, cancellationToken, monthStart, monthStart.AddMonths(1));

        var rows = tenants.Select(tenant =>
        {
            var activeStores = stores.GetValueOrDefault(tenant.Id);
            var plan = billing.Value.Plan(tenant.PlanId);
            return new TenantBilling(tenant, plan, activeStores, signUps.GetValueOrDefault(tenant.Id), MrrOf(tenant, plan, activeStores), statuses.GetValueOrDefault(tenant.Id));
        }).ToList();
        return new BillingOverview(
            rows,
            rows.Sum(r => r.Mrr),
            tenants.Count(t => t.Status is TenantStatus.Trialing && (t.TrialEndsAt is not { } ends || now < ends)),
            tenants.Count(t => t.Status is TenantStatus.PastDue),
            tenants.Count(t => t.Status is TenantStatus.Unpaid));
    }

    /// <summary>
    /// What the tenant pays a month now: its active stores at its own price or its plan's. A suspended,
    /// unpaid, canceled or trialing tenant pays nothing this month, so it adds nothing.
    /// </summary>
    public static decimal MrrOf(Tenant tenant, BillingPlan? plan, int activeStores)
    {
        if (tenant.Status is not (TenantStatus.Active or TenantStatus.PastDue))
        {
            return 0;
        }

        var perStore = tenant.CustomStorePriceId is null ? plan?.PricePerStore : tenant.CustomPricePerStore;
        return activeStores * (perStore ?? 0);
    }

    private static async Task<Dictionary<Guid, int>> CountAsync(IQuerySession session, Type document, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(document).TableName.QualifiedName;
        var counts = await session.AdvancedSql.QueryAsync<TenantCount>(sql.Replace("{table}", table, StringComparison.Ordinal), cancellationToken, parameters);
        return counts.Where(c => Guid.TryParse(c.TenantId, out _)).ToDictionary(c => Guid.Parse(c.TenantId), c => c.Count);
    }
}
