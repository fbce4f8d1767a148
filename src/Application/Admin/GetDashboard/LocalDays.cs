namespace CustomerInfo.Application.Admin.GetDashboard;

/// <summary>
/// Calendar days in a time zone and the instants they begin: "today" is the retailer's today, and a
/// day is 23 or 25 hours long when the clocks change.
/// </summary>
public static class LocalDays
{
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// The first instant of <paramref name="day"/> in <paramref name="zone"/>: local midnight, or, where the
    /// clocks skip midnight, the first local time that exists; a midnight that happens twice counts from the first.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        for (var step = 0; zone.IsInvalidTime(local) && step < 4 * 24; step++)
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The <paramref name="count"/> days up to and including today, oldest first, and the instants they span.</summary>
    public static LocalPeriod Last(int count, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = Today(now, zone);
        var first = today.AddDays(1 - count);
        return new LocalPeriod([.. Enumerable.Range(0, count).Select(first.AddDays)], StartOf(first, zone), StartOf(today.AddDays(1), zone));
    }
}

/// <param name="Days">Oldest first; the last is today.</param>
/// <param name="From">When the first day begins (inclusive).</param>
/// <param name="Until">When the day after today begins (exclusive).</param>
public sealed record LocalPeriod(IReadOnlyList<DateOnly> Days, DateTimeOffset From, DateTimeOffset Until)
{
    public DateOnly Today => Days[^1];
}
