using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.UnitTests.Application.Admin;

public class DashboardTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static RetailStore Store(string name, string timeZone, int daysAgo, StoreStatus status = StoreStatus.Active) =>
        new() { Id = Guid.NewGuid(), Name = name, TimeZone = timeZone, AddedAt = Now.AddDays(-daysAgo), Status = status };

    [Fact]
    public void The_tenant_time_zone_is_its_first_added_active_store_s()
    {
        TenantTimeZone.Of([]).ShouldBe(StoreTimeZones.Default);
        TenantTimeZone.Of([Store("b", "Europe/London", 5), Store("a", "America/New_York", 10), Store("closed", "Asia/Tokyo", 20, StoreStatus.Closed)])
            .ShouldBe("America/New_York");
        TenantTimeZone.Of([Store("closed", "Asia/Tokyo", 20, StoreStatus.Closed)]).ShouldBe(StoreTimeZones.Default);
        TenantTimeZone.Of([Store("unknown zone", "Mars/Olympus", 20), Store("b", "Europe/London", 5)]).ShouldBe("Europe/London");
    }

    [Fact]
    public void Every_day_of_the_period_is_there_with_counts_summed_over_stores_and_days_outside_ignored()
    {
        var period = LocalDays.Last(30, Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"));
        var a = Store("A", StoreTimeZones.Default, 10);
        var counts = new[]
        {
            new DayStoreCount(period.Today, a.Id, 3, 2, 1),
            new DayStoreCount(period.Today, null, 1, 0, 0),
            new DayStoreCount(period.Days[0], a.Id, 2, 2, 0),
            new DayStoreCount(period.Days[0].AddDays(-1), a.Id, 50, 50, 50),
            new DayStoreCount(period.Today.AddDays(1), a.Id, 50, 50, 50),
        };

        var dashboard = GetDashboardHandler.Build(period, StoreTimeZones.Default, [a], counts);

        dashboard.Days.Count.ShouldBe(30);
        dashboard.SignUpsToday.ShouldBe(4);
        dashboard.SignUpsLast7Days.ShouldBe(4);
        dashboard.SignUpsLast30Days.ShouldBe(6);
        dashboard.Days[0].SignUps.ShouldBe(2);
        dashboard.Days.Skip(1).Take(28).ShouldAllBe(d => d.SignUps == 0);
        dashboard.Stores.ShouldBe([new StoreCount(a.Id, "A", false, 5), new StoreCount(null, null, false, 1)]);
        dashboard.EmailConsentShare.ShouldBe(4 / 6.0);
        dashboard.SmsConsentShare.ShouldBe(1 / 6.0);
    }
}
