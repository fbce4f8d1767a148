using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Admin.GetDashboard;

/// <summary>
/// The retailer's numbers on the admin's first page: sign-ups today, over 7 and over 30 days (days in
/// the retailer's time zone, <see cref="TenantTimeZone"/>), per day, per store, and how many gave consent.
/// Every figure counts kiosk sign-ups only (<see cref="SignUpSource.Kiosk"/>, what billing will count);
/// rows of an imported customer list are counted apart, in <see cref="Dashboard.Imported"/>.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetDashboardQuery : IQuery<Dashboard>;

/// <param name="Days">The last <see cref="GetDashboardHandler.Days"/> days, oldest first, each with its sign-ups (0 included).</param>
/// <param name="Stores">Every active store and every store with sign-ups in those days; a null id is "no store".</param>
/// <param name="Imported">Sign-ups imported from customer lists in those days: never part of the kiosk figures.</param>
public sealed record Dashboard(string TimeZone, IReadOnlyList<DayCount> Days, IReadOnlyList<StoreCount> Stores, int EmailConsents, int SmsConsents, int Imported = 0)
{
    public DateOnly Today => Days[^1].Day;

    public int SignUpsToday => Days[^1].SignUps;

    public int SignUpsLast7Days => Days.TakeLast(7).Sum(d => d.SignUps);

    public int SignUpsLast30Days => Days.Sum(d => d.SignUps);

    /// <summary>The share of the period's sign-ups that gave email consent, 0 to 1; null when there were none.</summary>
    public double? EmailConsentShare => Share(EmailConsents);

    public double? SmsConsentShare => Share(SmsConsents);

    private double? Share(int count) => SignUpsLast30Days == 0 ? null : (double)count / SignUpsLast30Days;

    /// <summary>Where the pushes to the CRM stand (issue 12).</summary>
    public CrmPushCounts Crm { get; init; } = new(false, 0, 0, 0, 0);
}

/// <summary>
/// The CRM's figures: sign-ups waiting for a push (queued, or for a connection), being retried, failed
/// for good, and pushed today (by the time of the push, in the retailer's time zone). Imports kept out
/// of the CRM are none of these.
/// </summary>
/// <param name="Connected">The store has an active connection: without one, everything waits ("not connected").</param>
public sealed record CrmPushCounts(bool Connected, int Waiting, int Retrying, int Failed, int PushedToday);

public sealed record DayCount(DateOnly Day, int SignUps);

/// <param name="Name">Null for sign-ups made without a store (the kiosk's bare address, or before stores existed).</param>
public sealed record StoreCount(Guid? StoreId, string? Name, bool Closed, int SignUps);

/// <summary>One row of the grouped count: kiosk sign-ups of one local day at one store, and the imported ones apart.</summary>
public sealed record DayStoreCount(DateOnly Day, Guid? StoreId, int SignUps, int EmailConsents, int SmsConsents, int Imported = 0);

public sealed class GetDashboardHandler(IQuerySession session, IClock clock) : IQueryHandler<GetDashboardQuery, Dashboard>
{
    public const int Days = 30;

    // Over the duplicated columns only, and only the period's rows (the received_at range), so the
    // cost follows the sign-ups of 30 days, not all of them; grouped by the local day in PostgreSQL.
    private const string CountsSql = """
        select json_build_object('Day', day, 'StoreId', store_id, 'SignUps', sign_ups, 'EmailConsents', email, 'SmsConsents', sms, 'Imported', imported)
        from (
            select (s.received_at at time zone ?)::date as day, s.store_id,
                   count(*) filter (where coalesce(s.source, 0) = 0) as sign_ups,
                   count(*) filter (where coalesce(s.source, 0) = 0 and (s.data ->> 'EmailConsent')::boolean) as email,
                   count(*) filter (where coalesce(s.source, 0) = 0 and (s.data ->> 'SmsConsent')::boolean) as sms,
                   count(*) filter (where s.source = 1) as imported
            from {table} as s
            where s.tenant_id = ? and s.received_at >= ? and s.received_at < ?
            group by 1, 2
        ) as counts
        """;

    // Over the crm_status index (and crm_updated_at for today's pushes): index reads of the statuses
    // that are few, never the tenant's pushed history.
    private const string CrmSql = """
        select json_build_object(
            'Connected', false,
            'Waiting', (select count(*) from {table} as s where s.tenant_id = ? and s.crm_status = 0),
            'Retrying', (select count(*) from {table} as s where s.tenant_id = ? and s.crm_status = 2),
            'Failed', (select count(*) from {table} as s where s.tenant_id = ? and s.crm_status = 3),
            'PushedToday', (select count(*) from {table} as s where s.tenant_id = ? and s.crm_status = 1 and s.crm_updated_at >= ? and s.crm_updated_at < ?))
        """;

    public async ValueTask<Dashboard> Handle(GetDashboardQuery query, CancellationToken cancellationToken)
    {
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var timeZone = TenantTimeZone.Of(stores);
        var period = LocalDays.Last(Days, clock.UtcNow, StoreTimeZones.Find(timeZone));
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(SignUpSummary)).TableName.QualifiedName;
        var counts = await session.AdvancedSql.QueryAsync<DayStoreCount>(
            CountsSql.Replace("{table}", table, StringComparison.Ordinal),
            cancellationToken,
            timeZone,
            session.TenantId,
            period.From,
            period.Until);
        var crm = (await session.AdvancedSql.QueryAsync<CrmPushCounts>(
            CrmSql.Replace("{table}", table, StringComparison.Ordinal),
            cancellationToken,
            session.TenantId,
            session.TenantId,
            session.TenantId,
            session.TenantId,
            LocalDays.StartOf(period.Today, StoreTimeZones.Find(timeZone)),
            period.Until))[0];
        var connected = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is { Active: true };
        return Build(period, timeZone, stores, counts) with { Crm = crm with { Connected = connected } };
    }

    /// <summary>The grouped counts laid out per day (every day of the period, 0 where nothing happened) and per store.</summary>
    public static Dashboard Build(LocalPeriod period, string timeZone, IReadOnlyList<RetailStore> stores, IReadOnlyList<DayStoreCount> counts)
    {
        var inPeriod = counts.Where(c => c.Day >= period.Days[0] && c.Day <= period.Today).ToList();
        var imported = inPeriod.Sum(c => c.Imported);
        inPeriod = inPeriod.Where(c => c.SignUps > 0).ToList();
        var perDay = inPeriod.GroupBy(c => c.Day).ToDictionary(g => g.Key, g => g.Sum(c => c.SignUps));
        var perStore = inPeriod.GroupBy(c => c.StoreId ?? Guid.Empty).ToDictionary(g => g.Key, g => g.Sum(c => c.SignUps));

        var storeCounts = stores
            .Where(s => s.IsActive || perStore.ContainsKey(s.Id))
            .Select(s => new StoreCount(s.Id, s.Name, !s.IsActive, perStore.GetValueOrDefault(s.Id)))
            .ToList();
        var known = stores.Select(s => s.Id).ToHashSet();
        var withoutStore = perStore.Where(p => p.Key == Guid.Empty || !known.Contains(p.Key)).Sum(p => p.Value);
        if (withoutStore > 0)
        {
            storeCounts.Add(new StoreCount(null, null, false, withoutStore));
        }

        return new Dashboard(
            timeZone,
            period.Days.Select(d => new DayCount(d, perDay.GetValueOrDefault(d))).ToList(),
            storeCounts.OrderByDescending(s => s.SignUps).ThenBy(s => s.Name is null).ThenBy(s => s.Name, StringComparer.CurrentCulture).ToList(),
            inPeriod.Sum(c => c.EmailConsents),
            inPeriod.Sum(c => c.SmsConsents),
            imported);
    }
}
