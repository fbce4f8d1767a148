using CustomerInfo.Application.Billing.Usage;

namespace CustomerInfo.UnitTests.Application.Billing;

public class UsageDaysTests
{
    private static readonly DateTimeOffset RunAt = new(2027, 3, 10, 2, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Today_is_never_reported_and_yesterday_is()
    {
        var days = UsageDays.ToReport(RunAt, RunAt.AddDays(-3)).ShouldNotBeNull();

        days.Through.ShouldBe(new DateOnly(2027, 3, 9));
        days.From.ShouldBe(new DateOnly(2027, 3, 7));
    }

    [Fact]
    public void No_day_older_than_Stripe_takes_is_reported()
    {
        var days = UsageDays.ToReport(RunAt, RunAt.AddDays(-100)).ShouldNotBeNull();

        (RunAt - UsageDays.MeterTimestamp(days.From)).ShouldBeLessThan(TimeSpan.FromDays(35));
        (RunAt - UsageDays.MeterTimestamp(days.From.AddDays(-1))).ShouldBeGreaterThan(UsageDays.MaxAge);
    }

    [Fact]
    public void A_subscription_that_started_today_has_no_complete_day()
    {
        UsageDays.ToReport(RunAt, RunAt.AddHours(-1)).ShouldBeNull();
    }

    [Fact]
    public void A_day_is_a_UTC_day_and_its_meter_event_is_at_its_last_second()
    {
        UsageDays.DayOf(new DateTimeOffset(2027, 3, 10, 0, 30, 0, TimeSpan.FromHours(1))).ShouldBe(new DateOnly(2027, 3, 9));
        UsageDays.MeterTimestamp(new DateOnly(2027, 3, 9)).ShouldBe(new DateTimeOffset(2027, 3, 9, 23, 59, 59, TimeSpan.Zero));
    }

    [Fact]
    public void The_identifier_names_the_tenant_and_the_day()
    {
        var tenant = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        UsageDays.Identifier(tenant, new DateOnly(2027, 3, 9)).ShouldBe("0f8fad5bd9cb469fa16570867728950e-20270309");
    }
}
