using CustomerInfo.Application.SignUps.ListSignUps;
using Marten;

namespace CustomerInfo.Application.Billing.Usage;

/// <summary>
/// Kiosk sign-ups per UTC day of arrival, of the session's tenant: what billing counts. Imported ones
/// (<see cref="SignUpSummary.Source"/> = import) are never billed. Counted by <see cref="SignUpSummary.ReceivedAt"/>,
/// not the time a tablet filled the form in: a sign-up queued offline arrives later, and a day that
/// is over then never gains another (ADR 22).
/// </summary>
public static class KioskSignUpCounts
{
    // Over the (tenant_id, source, received_at) index: only the kiosk rows of the range are read.
    private const string Sql = """
        select json_build_object('Day', day, 'SignUps', sign_ups)
        from (
            select (s.received_at at time zone 'UTC')::date as day, count(*) as sign_ups
            from {table} as s
            where s.tenant_id = ? and coalesce(s.source, 0) = 0 and s.received_at >= ? and s.received_at < ?
            group by 1
        ) as counts
        """;

    /// <summary>Each day of <paramref name="days"/> that has kiosk sign-ups, with their number.</summary>
    public static async Task<IReadOnlyDictionary<DateOnly, long>> PerDayAsync(IQuerySession session, DayRange days, CancellationToken cancellationToken)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(SignUpSummary)).TableName.QualifiedName;
        var counts = await session.AdvancedSql.QueryAsync<DayCount>(
            Sql.Replace("{table}", table, StringComparison.Ordinal),
            cancellationToken,
            session.TenantId,
            UsageDays.StartOf(days.From),
            UsageDays.StartOf(days.Through.AddDays(1)));
        return counts.ToDictionary(c => c.Day, c => c.SignUps);
    }

    private sealed record DayCount(DateOnly Day, long SignUps);
}
