using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

public class TenantRenameTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly Tenant Acme = new(Guid.NewGuid(), "acme", "Acme Shoes", TenantStatus.Active, Now);

    [Fact]
    public void A_new_name_is_recorded_and_the_tenant_takes_it()
    {
        var decision = TenantLifecycle.Decide(Acme, new TenantFact.Rename("Acme Shoes & Boots", Now));

        var renamed = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<TenantRenamed>();
        renamed.Name.ShouldBe("Acme Shoes & Boots");
        TenantLifecycle.Evolve(Acme, renamed)!.Name.ShouldBe("Acme Shoes & Boots");
        TenantLifecycle.Evolve(Acme, renamed)!.Identifier.ShouldBe("acme");
    }

    [Fact]
    public void The_same_name_again_records_nothing() =>
        TenantLifecycle.Decide(Acme, new TenantFact.Rename("Acme Shoes", Now)).Events.ShouldBeEmpty();

    [Fact]
    public void A_tenant_not_onboarded_cannot_be_renamed() =>
        TenantLifecycle.Decide(null, new TenantFact.Rename("X", Now)).Refusal.ShouldBe(TenantRefusal.NotOnboarded);
}
