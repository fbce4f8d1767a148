using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.TestSupport;

namespace CustomerInfo.IntegrationTests.Admin;

/// <summary>The dashboard's numbers from real sign-ups, with the clock and the stores' time zones under the test's control.</summary>
public class GetDashboardTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    // 10:00 in Amsterdam (UTC+1 in winter), 04:00 in New York (UTC-5).
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.UtcNow = Now;
        await app.AddStoreAsync("demo", "Demo Shoes");
        await app.AddStoreAsync("other", "Other Books");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Dashboard> DashboardOf(string tenant) => app.SendAsync(tenant, new GetDashboardQuery());

    [Fact]
    public async Task Sign_ups_just_after_and_just_before_local_midnight_count_on_their_own_local_day()
    {
        var store = await app.AddRetailStoreAsync("demo", "Centrum", "Europe/Amsterdam");
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 28, 23, 0, 0, TimeSpan.Zero), store); // 00:00 on 1 March in Amsterdam: today
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 28, 22, 59, 59, TimeSpan.Zero), store); // 23:59:59 on 28 February: yesterday
        await app.AddSignUpAtAsync("demo", Now.AddMinutes(-1), store);
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 22, 23, 0, 0, TimeSpan.Zero), store); // 23 February local: the 7th day back
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 22, 22, 59, 0, TimeSpan.Zero), store); // 22 February local: 8 days back
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 1, 30, 23, 0, 0, TimeSpan.Zero), store); // 31 January local: the 30th day back
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 1, 30, 22, 59, 0, TimeSpan.Zero), store); // 30 January local: outside
        await app.AddSignUpAtAsync("other", Now.AddMinutes(-5)); // another tenant's

        var dashboard = await DashboardOf("demo");

        dashboard.TimeZone.ShouldBe("Europe/Amsterdam");
        dashboard.Today.ShouldBe(new DateOnly(2027, 3, 1));
        dashboard.SignUpsToday.ShouldBe(2);
        dashboard.SignUpsLast7Days.ShouldBe(4);
        dashboard.SignUpsLast30Days.ShouldBe(6);
        dashboard.Days.Count.ShouldBe(30);
        dashboard.Days[0].ShouldBe(new DayCount(new DateOnly(2027, 1, 31), 1));
        dashboard.Days.Single(d => d.Day == new DateOnly(2027, 2, 28)).SignUps.ShouldBe(1);
        dashboard.Days.Single(d => d.Day == new DateOnly(2027, 2, 22)).SignUps.ShouldBe(1);
        dashboard.Days.Count(d => d.SignUps == 0).ShouldBe(25);
        (await DashboardOf("other")).SignUpsToday.ShouldBe(1);
    }

    [Fact]
    public async Task Today_is_the_day_of_the_first_added_active_store()
    {
        var closed = await app.AddRetailStoreAsync("demo", "Old shop", "Asia/Tokyo", Now.AddYears(-2));
        await app.CloseRetailStoreAsync("demo", closed);
        await app.AddRetailStoreAsync("demo", "Manhattan", "America/New_York", Now.AddYears(-1));
        await app.AddRetailStoreAsync("demo", "Amsterdam", "Europe/Amsterdam", Now.AddDays(-1));
        app.Clock.UtcNow = new DateTimeOffset(2027, 3, 1, 3, 0, 0, TimeSpan.Zero); // 22:00 on 28 February in New York
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 28, 6, 0, 0, TimeSpan.Zero)); // 01:00 in New York: today there
        await app.AddSignUpAtAsync("demo", new DateTimeOffset(2027, 2, 28, 4, 59, 0, TimeSpan.Zero)); // 23:59 on 27 February in New York

        var dashboard = await DashboardOf("demo");

        dashboard.TimeZone.ShouldBe("America/New_York");
        dashboard.Today.ShouldBe(new DateOnly(2027, 2, 28));
        dashboard.SignUpsToday.ShouldBe(1);
        dashboard.SignUpsLast7Days.ShouldBe(2);
    }

    [Fact]
    public async Task Sign_ups_are_split_per_store_with_those_without_a_store_apart_and_consent_is_a_share_of_all()
    {
        var centrum = await app.AddRetailStoreAsync("demo", "Centrum", addedAt: Now.AddDays(-100));
        var station = await app.AddRetailStoreAsync("demo", "Station", addedAt: Now.AddDays(-50));
        var quiet = await app.AddRetailStoreAsync("demo", "Quiet corner", addedAt: Now.AddDays(-10));
        var gone = await app.AddRetailStoreAsync("demo", "Gone", addedAt: Now.AddDays(-90));
        await app.AddSignUpAtAsync("demo", Now.AddDays(-3), gone);
        await app.CloseRetailStoreAsync("demo", gone);
        var closedLongAgo = await app.AddRetailStoreAsync("demo", "Closed long ago", addedAt: Now.AddDays(-300));
        await app.CloseRetailStoreAsync("demo", closedLongAgo);
        for (var i = 0; i < 3; i++)
        {
            await app.AddSignUpAtAsync("demo", Now.AddHours(-i * 30), centrum, emailConsent: true, smsConsent: i == 0);
        }

        await app.AddSignUpAtAsync("demo", Now.AddDays(-2), station, emailConsent: true);
        await app.AddSignUpAtAsync("demo", Now.AddDays(-20), station);
        await app.AddSignUpAtAsync("demo", Now.AddDays(-45), station, emailConsent: true); // before the period: not counted anywhere
        await app.AddSignUpAtAsync("demo", Now.AddDays(-1)); // the kiosk's bare address
        await app.AddSignUpAtAsync("demo", Now.AddDays(-4), Guid.NewGuid()); // a store that no longer exists

        var dashboard = await DashboardOf("demo");

        dashboard.Stores.ShouldBe(
        [
            new StoreCount(centrum, "Centrum", false, 3),
            new StoreCount(station, "Station", false, 2),
            new StoreCount(null, null, false, 2),
            new StoreCount(gone, "Gone", true, 1),
            new StoreCount(quiet, "Quiet corner", false, 0),
        ]);
        dashboard.SignUpsLast30Days.ShouldBe(8);
        dashboard.EmailConsents.ShouldBe(4);
        dashboard.SmsConsents.ShouldBe(1);
        dashboard.EmailConsentShare.ShouldBe(0.5);
        dashboard.SmsConsentShare.ShouldBe(1 / 8.0);
    }

    [Fact]
    public async Task A_tenant_without_stores_or_sign_ups_sees_thirty_empty_days_in_the_default_time_zone()
    {
        var dashboard = await DashboardOf("demo");

        dashboard.TimeZone.ShouldBe("Europe/Amsterdam");
        dashboard.Days.Count.ShouldBe(30);
        dashboard.Days.ShouldAllBe(d => d.SignUps == 0);
        dashboard.Stores.ShouldBeEmpty();
        dashboard.EmailConsentShare.ShouldBeNull();
        dashboard.SmsConsentShare.ShouldBeNull();
    }
}
