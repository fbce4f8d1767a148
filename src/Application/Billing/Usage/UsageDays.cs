using System.Globalization;

namespace CustomerInfo.Application.Billing.Usage;

/// <summary>
/// Which days of kiosk sign-ups the billing run reports, and how each is named to Stripe (ADR 22).
/// A day is a UTC day of the sign-ups' arrival, and it is reported once it is over: yesterday and
/// earlier, never today, and no older than Stripe takes a meter event.
/// </summary>
public static class UsageDays
{
    /// <summary>Stripe refuses a meter event older than 35 days; an hour less allows for clocks that disagree.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35) - TimeSpan.FromHours(1);

    /// <summary>The complete days to report at <paramref name="now"/>, from the subscription's first day; null when there are none.</summary>
    public static DayRange? ToReport(DateTimeOffset now, DateTimeOffset subscriptionStarted)
    {
        var through = DayOf(now).AddDays(-1);
        var oldest = DayOf(now - MaxAge);
        if (MeterTimestamp(oldest) < now - MaxAge)
        {
            oldest = oldest.AddDays(1);
        }

        var from = DayOf(subscriptionStarted) > oldest ? DayOf(subscriptionStarted) : oldest;
        return from > through ? null : new DayRange(from, through);
    }

    /// <summary>
    /// The meter event's time: the day's last second, so the oldest day Stripe still takes is as old as
    /// possible, and the day counts in the billing period its end falls in.
    /// </summary>
    public static DateTimeOffset MeterTimestamp(DateOnly day) => StartOf(day).AddDays(1).AddSeconds(-1);

    /// <summary>
    /// The meter event's identifier and idempotency key: our own id for the tenant and day, so a retry of
    /// a report whose answer was lost is replayed or refused by Stripe, never counted twice.
    /// </summary>
    public static string Identifier(Guid tenantId, DateOnly day) =>
        $"{tenantId:N}-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>Days from <see cref="From"/> through <see cref="Through"/>, both included.</summary>
public sealed record DayRange(DateOnly From, DateOnly Through)
{
    public IEnumerable<DateOnly> Days()
    {
        for (var day = From; day <= Through; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
