using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;
using FluentValidation.TestHelper;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class SignUpFilterTests
{
    [Theory]
    [InlineData("Ann@Example.COM", SearchKind.Email, "ann@example.com")]
    [InlineData(" ann\u200B@example.com ", SearchKind.Email, "ann@example.com")]
    [InlineData("ann@BÜCHER.de", SearchKind.Email, "ann@bücher.de")]
    [InlineData("06 12345678", SearchKind.Phone, "+31612345678")]
    [InlineData("+31 6 1234 5678", SearchKind.Phone, "+31612345678")]
    [InlineData("De Vr", SearchKind.Name, "de vr")]
    [InlineData("Zoë", SearchKind.Name, "zoë")]
    [InlineData("12", SearchKind.Name, "12")]
    public void A_search_is_an_email_a_phone_or_the_start_of_a_name_normalised_as_the_kiosk_stores_them(string text, SearchKind kind, string key) =>
        SignUpSearch.Read(text, "NL").ShouldBe(new SignUpSearch(kind, key));

    [Fact]
    public void Nothing_to_search_for_is_no_search()
    {
        SignUpSearch.Read(null, "NL").ShouldBeNull();
        SignUpSearch.Read("   ", "NL").ShouldBeNull();
        SignUpSearch.Read("\u200B", "NL").ShouldBeNull();
        SignUpSearch.Read("\0\u0007", "NL").ShouldBeNull();
    }

    [Fact]
    public void Invisible_control_characters_are_left_out_of_a_search_as_nothing_stored_has_them() =>
        SignUpSearch.Read("An\0n\u0085", "NL").ShouldBe(new SignUpSearch(SearchKind.Name, "ann"));

    [Fact]
    public void The_record_of_an_export_says_a_search_was_made_but_never_what_it_was()
    {
        var store = Guid.NewGuid();
        var filter = new SignUpFilter(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), store, true, false, "ann@example.com");

        filter.DescribeWithoutSearch().ShouldBe($"from 2026-03-01, to 2026-03-31, store {store}, email consent yes, SMS consent no");
        filter.DescribeWithoutSearch().ShouldNotContain("ann");
        filter.HasSearch.ShouldBeTrue();
        SignUpFilter.None.DescribeWithoutSearch().ShouldBe("all sign-ups");
        SignUpFilter.None.HasSearch.ShouldBeFalse();
        filter.Fingerprint().ShouldNotBe((filter with { Search = "bob" }).Fingerprint());
    }

    [Fact]
    public void A_search_of_ten_thousand_characters_and_dates_out_of_order_or_range_are_refused()
    {
        var validator = new SignUpFilterValidator();
        validator.TestValidate(new SignUpFilter(Search: new string('a', 10_000))).ShouldHaveValidationErrorFor(f => f.Search);
        validator.TestValidate(new SignUpFilter(From: new DateOnly(2026, 3, 2), To: new DateOnly(2026, 3, 1))).ShouldHaveValidationErrorFor(f => f.To);
        validator.TestValidate(new SignUpFilter(From: new DateOnly(1, 1, 1))).ShouldHaveValidationErrorFor(f => f.From);
        validator.TestValidate(new SignUpFilter(To: DateOnly.MaxValue)).ShouldHaveValidationErrorFor(f => f.To);
        validator.TestValidate(new SignUpFilter(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), Guid.NewGuid(), true, true, new string('a', 200))).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void A_day_starts_at_midnight_in_the_zone_and_past_a_skipped_midnight()
    {
        var amsterdam = StoreTimeZones.Find("Europe/Amsterdam");
        SignUpRows.StartOf(new DateOnly(2026, 7, 1), amsterdam).ShouldBe(new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero));
        SignUpRows.StartOf(new DateOnly(2026, 1, 1), amsterdam).ShouldBe(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero));

        // Santiago skips from midnight to 01:00 when summer time starts (7 September 2025).
        var santiago = StoreTimeZones.Find("America/Santiago");
        SignUpRows.StartOf(new DateOnly(2025, 9, 7), santiago).ShouldBe(new DateTimeOffset(2025, 9, 7, 4, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void The_retailers_time_zone_is_its_first_added_active_stores()
    {
        var at = DateTimeOffset.UnixEpoch;
        RetailStore Store(string zone, int day, StoreStatus status = StoreStatus.Active) => new() { Id = Guid.NewGuid(), TimeZone = zone, AddedAt = at.AddDays(day), Status = status };

        TenantTimeZone.ZoneOf([]).Id.ShouldBe(StoreTimeZones.Default);
        TenantTimeZone.ZoneOf([Store("Europe/London", 2), Store("America/New_York", 1, StoreStatus.Closed), Store("Asia/Tokyo", 3)]).Id.ShouldBe("Europe/London");
        TenantTimeZone.ZoneOf([Store("America/New_York", 1, StoreStatus.Closed)]).Id.ShouldBe(StoreTimeZones.Default);
    }
}
