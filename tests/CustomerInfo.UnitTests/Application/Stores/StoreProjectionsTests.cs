using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.UnitTests.Application.Stores;

/// <summary>Every event of a store's stream, applied to its document and to the kiosk's link lookup.</summary>
public class StoreProjectionsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid StoreId = Guid.NewGuid();
    private static readonly Guid LinkId = Guid.NewGuid();

    private static RetailStore Added() => RetailStoreProjection.Create(new StoreAdded(StoreId, "Centre", "Europe/Brussels", "Markt 1", At, "centre"));

    [Fact]
    public void A_store_begins_active_with_what_it_was_added_with()
    {
        var store = Added();

        store.ShouldSatisfyAllConditions(
            () => store.Id.ShouldBe(StoreId),
            () => store.Name.ShouldBe("Centre"),
            () => store.TimeZone.ShouldBe("Europe/Brussels"),
            () => store.Address.ShouldBe("Markt 1"),
            () => store.LegacyLocationKey.ShouldBe("centre"),
            () => store.AddedAt.ShouldBe(At),
            () => store.IsActive.ShouldBeTrue(),
            () => store.Links.ShouldBeEmpty(),
            () => store.StaffPinSetAt.ShouldBeNull());
    }

    [Fact]
    public void Details_close_reopen_and_pin_change_the_store()
    {
        var changed = RetailStoreProjection.Apply(new StoreDetailsChanged(StoreId, "Centrum", "Europe/Amsterdam", null, At), Added());
        changed.Name.ShouldBe("Centrum");
        changed.TimeZone.ShouldBe("Europe/Amsterdam");
        changed.Address.ShouldBeNull();

        var closed = RetailStoreProjection.Apply(new StoreClosed(StoreId, At), changed);
        closed.Status.ShouldBe(StoreStatus.Closed);
        RetailStoreProjection.Apply(new StoreReopened(StoreId, At), closed).IsActive.ShouldBeTrue();

        RetailStoreProjection.Apply(new StoreStaffPinSet(StoreId, At.AddHours(1)), changed).StaffPinSetAt.ShouldBe(At.AddHours(1));
    }

    [Fact]
    public void An_issued_link_is_live_until_it_is_revoked_and_then_listed_with_when()
    {
        var issued = new KioskLinkIssued(StoreId, LinkId, "tok", "Tablet 1", At);
        var store = RetailStoreProjection.Apply(issued, Added());
        store.LiveLinks.ShouldHaveSingleItem().ShouldBe(new KioskLinkInfo(LinkId, "tok", "Tablet 1", At));

        var revoked = RetailStoreProjection.Apply(new KioskLinkRevoked(StoreId, LinkId, "tok", At.AddDays(1)), store);
        revoked.LiveLinks.ShouldBeEmpty();
        revoked.Links.ShouldHaveSingleItem().RevokedAt.ShouldBe(At.AddDays(1));
        // A second revocation keeps the first time.
        RetailStoreProjection.Apply(new KioskLinkRevoked(StoreId, LinkId, "tok", At.AddDays(2)), revoked).Links.Single().RevokedAt.ShouldBe(At.AddDays(1));
    }

    [Fact]
    public void The_kiosk_finds_a_link_by_its_token_and_sees_its_revocation()
    {
        var link = KioskLinkProjection.Create(new KioskLinkIssued(StoreId, LinkId, "tok", "Tablet 1", At));
        link.ShouldBe(new KioskLink { Id = "tok", LinkId = LinkId, StoreId = StoreId, IssuedAt = At });
        link.IsRevoked.ShouldBeFalse();

        KioskLinkProjection.Apply(new KioskLinkRevoked(StoreId, LinkId, "tok", At), link).IsRevoked.ShouldBeTrue();
    }
}
