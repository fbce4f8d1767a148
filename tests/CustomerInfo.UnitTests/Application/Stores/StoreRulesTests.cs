using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Stores.IssueKioskLink;
using CustomerInfo.Application.Stores.SetStoreStaffPin;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Infrastructure.Stores;
using FluentValidation;

namespace CustomerInfo.UnitTests.Application.Stores;

public class StoreRulesTests
{
    private sealed record Details(string? Name, string? TimeZone, string? Address);

    private sealed class DetailsValidator : AbstractValidator<Details>
    {
        public DetailsValidator()
        {
            RuleFor(d => d.Name).ValidStoreName();
            RuleFor(d => d.TimeZone).ValidTimeZone();
            RuleFor(d => d.Address).ValidAddress();
        }
    }

    private static IEnumerable<string> Errors(Details details) => new DetailsValidator().Validate(details).Errors.Select(e => e.PropertyName);

    [Fact]
    public void A_name_of_1_to_80_characters_a_known_zone_and_an_address_up_to_200_are_accepted()
    {
        Errors(new("C", "Europe/London", null)).ShouldBeEmpty();
        Errors(new(new string('x', 80), "Europe/Amsterdam", new string('a', 200))).ShouldBeEmpty();
        Errors(new("  Centre  ", "America/New_York", "   ")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_store_needs_a_name(string? name) => Errors(new(name, "Europe/Amsterdam", null)).ShouldBe(["Name"]);

    [Fact]
    public void Too_long_a_name_or_address_and_an_unknown_zone_are_refused()
    {
        Errors(new(new string('x', 81), "Mars/Olympus", new string('a', 201))).ShouldBe(["Name", "TimeZone", "Address"]);
        Errors(new("C", "", null)).ShouldBe(["TimeZone"]);
        Errors(new("C", "Europe/Atlantis", null)).ShouldBe(["TimeZone"]);
    }

    [Theory]
    [InlineData("Centre\u0000")]
    [InlineData("Cen\ntre")]
    [InlineData("Centre \u202Eertnec")]
    public void A_name_with_control_characters_is_refused(string name) => Errors(new(name, "Europe/Amsterdam", null)).ShouldBe(["Name"]);

    [Fact]
    public void An_address_may_have_line_breaks_but_no_other_control_characters()
    {
        Errors(new("C", "Europe/Amsterdam", "Stationsplein 1\r\n1012 AB Amsterdam")).ShouldBeEmpty();
        Errors(new("C", "Europe/Amsterdam", "Stationsplein\u00001")).ShouldBe(["Address"]);
    }

    [Fact]
    public void Names_are_compared_without_case_and_around_white_space_and_a_store_may_keep_its_own()
    {
        var centre = new RetailStore { Id = Guid.NewGuid(), Name = "Centre" };
        StoreRules.NameIsTaken([centre], " CENTRE ").ShouldBeTrue();
        StoreRules.NameIsTaken([centre], "Centre", except: centre.Id).ShouldBeFalse();
        StoreRules.NameIsTaken([centre], "Station").ShouldBeFalse();
    }

    [Fact]
    public void A_link_label_is_at_most_60_characters()
    {
        var validator = new IssueKioskLinkValidator();
        validator.Validate(new IssueKioskLinkCommand(Guid.NewGuid(), new string('l', 60))).IsValid.ShouldBeTrue();
        validator.Validate(new IssueKioskLinkCommand(Guid.NewGuid())).IsValid.ShouldBeTrue();
        validator.Validate(new IssueKioskLinkCommand(Guid.NewGuid(), new string('l', 61))).IsValid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("4829", true)]
    [InlineData("12", false)]
    [InlineData("123456789", false)]
    [InlineData("12a4", false)]
    [InlineData("1234", false)]
    [InlineData("0000", false)]
    [InlineData(null, false)]
    public void A_store_pin_follows_the_same_rules_as_the_tenant_pin(string? pin, bool accepted)
    {
        var store = new SetStoreStaffPinValidator().Validate(new SetStoreStaffPinCommand(Guid.NewGuid(), pin));
        store.IsValid.ShouldBe(accepted);
        if (pin is not null)
        {
            var tenant = new SetStaffPinValidator().Validate(new SetStaffPinCommand(Guid.NewGuid(), pin));
            store.Errors.Select(e => e.ErrorMessage).ShouldBe(tenant.Errors.Select(e => e.ErrorMessage));
        }
    }

    [Fact]
    public void A_token_is_16_random_bytes_in_base64url_without_padding()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => KioskTokens.New()).ToList();

        tokens.ShouldAllBe(t => t.Length == KioskTokens.Length && KioskTokens.IsWellFormed(t));
        tokens.Distinct().Count().ShouldBe(1000);
        Convert.FromBase64String(tokens[0].Replace('-', '+').Replace('_', '/') + "==").Length.ShouldBe(16);
        // Every base64url character turns up across many tokens: the bits are not stuck.
        string.Concat(tokens).Distinct().Count().ShouldBe(64);
        KioskTokens.IsWellFormed("short").ShouldBeFalse();
        KioskTokens.IsWellFormed(new string('+', 22)).ShouldBeFalse();
        KioskTokens.IsWellFormed(null).ShouldBeFalse();
    }

    [Theory]
    [InlineData("NL", "Europe/Amsterdam")]
    [InlineData("be", "Europe/Brussels")]
    [InlineData("DE", "Europe/Berlin")]
    [InlineData("FR", StoreTimeZones.Default)]
    [InlineData(null, StoreTimeZones.Default)]
    public void A_migrated_store_takes_its_time_zone_from_the_form_country(string? country, string zone) =>
        StoreLocationMigration.TimeZoneFor(country).ShouldBe(zone);

    [Fact]
    public void A_migrated_store_name_fits_and_is_unlike_the_names_taken()
    {
        StoreLocationMigration.NameFor(new("centre", " City Centre "), []).ShouldBe("City Centre");
        StoreLocationMigration.NameFor(new("centre", "City Centre"), ["city centre"]).ShouldBe("City Centre (centre)");
        StoreLocationMigration.NameFor(new("centre", ""), []).ShouldBe("centre");
        StoreLocationMigration.NameFor(new("k", new string('n', 100)), []).Length.ShouldBe(StoreRules.NameMaxLength);
        StoreLocationMigration.NameFor(new("k", new string('n', 100)), [new string('n', 80)]).ShouldEndWith(" (k)");
        StoreLocationMigration.NameFor(new("k", new string('n', 100)), [new string('n', 80)]).Length.ShouldBeLessThanOrEqualTo(StoreRules.NameMaxLength);
    }
}
