using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

/// <summary>The Owner's retention choice through the lifecycle decider (issue 14 §6).</summary>
public class TenantRetentionTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Tenant Onboarded() => TenantLifecycle.Replay([new TenantOnboarded(Id, "acme", "Acme", Start, Start.AddDays(14))]).ShouldNotBeNull();

    private static Tenant After(Tenant state, TenantDecision decision) => decision.Events.Aggregate((Tenant?)state, TenantLifecycle.Evolve).ShouldNotBeNull();

    [Fact]
    public void A_tenant_that_never_chose_keeps_shoppers_for_the_default_two_years()
    {
        var tenant = Onboarded();

        tenant.RetentionMonths.ShouldBe(ShopperRetention.DefaultMonths);
        tenant.RetentionMonths.ShouldBe(24);
        tenant.KeepsShoppersUntilErased.ShouldBeFalse();
    }

    [Fact]
    public void Choosing_until_erased_is_recorded_and_keeps_shoppers_without_a_limit()
    {
        var decision = TenantLifecycle.Decide(Onboarded(), new TenantFact.SetRetention(null, Start.AddDays(1)));

        decision.Events.ShouldBe([new TenantRetentionSet(Id, null, Start.AddDays(1))]);
        var after = After(Onboarded(), decision);
        after.RetentionMonths.ShouldBeNull();
        after.KeepsShoppersUntilErased.ShouldBeTrue();
    }

    [Fact]
    public void Choosing_a_number_of_months_after_until_erased_limits_it_again()
    {
        var untilErased = After(Onboarded(), TenantLifecycle.Decide(Onboarded(), new TenantFact.SetRetention(null, Start)));

        var after = After(untilErased, TenantLifecycle.Decide(untilErased, new TenantFact.SetRetention(12, Start.AddDays(2))));

        after.RetentionMonths.ShouldBe(12);
        after.KeepsShoppersUntilErased.ShouldBeFalse();
    }

    [Fact]
    public void Choosing_what_is_already_in_force_records_nothing()
    {
        TenantLifecycle.Decide(Onboarded(), new TenantFact.SetRetention(ShopperRetention.DefaultMonths, Start)).ShouldBe(TenantDecision.NothingToDo);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(12, true)]
    [InlineData(24, true)]
    [InlineData(36, true)]
    [InlineData(60, true)]
    [InlineData(0, false)]
    [InlineData(-24, false)]
    [InlineData(13, false)]
    [InlineData(1200, false)]
    public void Only_the_offered_choices_are_choices(int? months, bool choice) => ShopperRetention.IsChoice(months).ShouldBe(choice);

    [Fact]
    public void A_sign_up_is_past_retention_the_given_months_after_it_to_the_day()
    {
        var now = new DateTimeOffset(2029, 3, 1, 3, 0, 0, TimeSpan.Zero);

        ShopperRetention.ErasesBefore(now, 24).ShouldBe(new DateTimeOffset(2027, 3, 1, 3, 0, 0, TimeSpan.Zero));
    }
}
