using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

/// <summary>The team's rule "Owners must use two-factor sign-in" through the lifecycle decider (issue 14 §4).</summary>
public class TenantTwoFactorRuleTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Tenant Onboarded() => TenantLifecycle.Replay([new TenantOnboarded(Id, "acme", "Acme", Start, Start.AddDays(14))]).ShouldNotBeNull();

    private static Tenant After(Tenant state, TenantDecision decision) => decision.Events.Aggregate((Tenant?)state, TenantLifecycle.Evolve).ShouldNotBeNull();

    [Fact]
    public void A_new_tenant_leaves_it_to_each_member()
    {
        Onboarded().OwnersMustUseTwoFactor.ShouldBeFalse();
    }

    [Fact]
    public void Turning_it_on_is_recorded_and_turning_it_off_again_too()
    {
        var on = TenantLifecycle.Decide(Onboarded(), new TenantFact.SetTwoFactorRequirement(true, Start.AddDays(1)));
        on.Events.ShouldBe([new TenantTwoFactorRequirementSet(Id, true, Start.AddDays(1))]);
        var required = After(Onboarded(), on);
        required.OwnersMustUseTwoFactor.ShouldBeTrue();

        var off = TenantLifecycle.Decide(required, new TenantFact.SetTwoFactorRequirement(false, Start.AddDays(2)));
        off.Events.ShouldBe([new TenantTwoFactorRequirementSet(Id, false, Start.AddDays(2))]);
        After(required, off).OwnersMustUseTwoFactor.ShouldBeFalse();
    }

    [Fact]
    public void Setting_what_is_already_in_force_records_nothing()
    {
        TenantLifecycle.Decide(Onboarded(), new TenantFact.SetTwoFactorRequirement(false, Start)).ShouldBe(TenantDecision.NothingToDo);
        var required = After(Onboarded(), TenantLifecycle.Decide(Onboarded(), new TenantFact.SetTwoFactorRequirement(true, Start)));
        TenantLifecycle.Decide(required, new TenantFact.SetTwoFactorRequirement(true, Start.AddHours(1))).ShouldBe(TenantDecision.NothingToDo);
    }

    [Fact]
    public void A_tenant_not_onboarded_is_refused()
    {
        TenantLifecycle.Decide(null, new TenantFact.SetTwoFactorRequirement(true, Start)).Refusal.ShouldBe(TenantRefusal.NotOnboarded);
    }
}
