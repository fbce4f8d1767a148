using CustomerInfo.Application.Admin.GetDashboard;

namespace CustomerInfo.UnitTests.Application.Admin;

public class LocalDaysTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Theory]
    [InlineData("2027-02-28T22:59:59Z", "2027-02-28")] // 23:59:59 in Amsterdam (UTC+1)
    [InlineData("2027-02-28T23:00:00Z", "2027-03-01")] // midnight
    [InlineData("2027-07-01T21:59:59Z", "2027-07-01")] // 23:59:59 in summer (UTC+2)
    [InlineData("2027-07-01T22:00:00Z", "2027-07-02")]
    public void Today_turns_over_at_local_midnight(string now, string today) =>
        LocalDays.Today(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Amsterdam).ShouldBe(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_days_the_clocks_change_are_23_and_25_hours_long()
    {
        // 2027: summer time starts on 28 March, ends on 31 October.
        var spring = LocalDays.StartOf(new DateOnly(2027, 3, 29), Amsterdam) - LocalDays.StartOf(new DateOnly(2027, 3, 28), Amsterdam);
        var autumn = LocalDays.StartOf(new DateOnly(2027, 11, 1), Amsterdam) - LocalDays.StartOf(new DateOnly(2027, 10, 31), Amsterdam);

        spring.ShouldBe(TimeSpan.FromHours(23));
        autumn.ShouldBe(TimeSpan.FromHours(25));
        LocalDays.StartOf(new DateOnly(2027, 3, 28), Amsterdam).ShouldBe(new DateTimeOffset(2027, 3, 27, 23, 0, 0, TimeSpan.Zero));
        LocalDays.StartOf(new DateOnly(2027, 3, 29), Amsterdam).ShouldBe(new DateTimeOffset(2027, 3, 28, 22, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Thirty_days_over_the_change_to_summer_time_span_from_the_first_local_midnight_to_the_next_one()
    {
        var period = LocalDays.Last(30, new DateTimeOffset(2027, 4, 10, 12, 0, 0, TimeSpan.Zero), Amsterdam);

        period.Days.Count.ShouldBe(30);
        period.Days[0].ShouldBe(new DateOnly(2027, 3, 12));
        period.Today.ShouldBe(new DateOnly(2027, 4, 10));
        period.From.ShouldBe(new DateTimeOffset(2027, 3, 11, 23, 0, 0, TimeSpan.Zero)); // winter time
        period.Until.ShouldBe(new DateTimeOffset(2027, 4, 10, 22, 0, 0, TimeSpan.Zero)); // summer time
        (period.Until - period.From).ShouldBe(TimeSpan.FromHours((30 * 24) - 1));
    }

    [Fact]
    public void A_midnight_the_clocks_skip_starts_the_day_at_the_first_local_time_that_exists()
    {
        // Santiago moved its clocks from 00:00 to 01:00 on 8 September 2024.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        LocalDays.StartOf(new DateOnly(2024, 9, 8), santiago).ShouldBe(new DateTimeOffset(2024, 9, 8, 4, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Today_in_new_york_can_be_yesterday_in_amsterdam_terms()
    {
        var now = new DateTimeOffset(2027, 3, 1, 3, 0, 0, TimeSpan.Zero);

        LocalDays.Today(now, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).ShouldBe(new DateOnly(2027, 2, 28));
        LocalDays.Today(now, Amsterdam).ShouldBe(new DateOnly(2027, 3, 1));
    }
}
