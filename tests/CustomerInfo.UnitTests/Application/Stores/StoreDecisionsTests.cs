using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.UnitTests.Application.Stores;

public class StoreDecisionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RetailStore Open = RetailStoreProjection.Create(new StoreAdded(Guid.NewGuid(), "Centre", "Europe/Amsterdam", null, Now));
    private static readonly RetailStore Closed = RetailStoreProjection.Apply(new StoreClosed(Open.Id, Now), Open);

    [Fact]
    public void Closing_an_open_store_closes_it_and_closing_it_again_changes_nothing()
    {
        StoreDecisions.Close(Open, Now).ShouldBe([new StoreClosed(Open.Id, Now)]);
        StoreDecisions.Close(Closed, Now).ShouldBeEmpty();
    }

    [Fact]
    public void Reopening_a_closed_store_reopens_it_and_reopening_an_open_one_changes_nothing()
    {
        StoreDecisions.Reopen(Closed, Now).ShouldBe([new StoreReopened(Open.Id, Now)]);
        StoreDecisions.Reopen(Open, Now).ShouldBeEmpty();
    }

    [Fact]
    public void Details_that_are_the_same_change_nothing()
    {
        StoreDecisions.ChangeDetails(Open, "Centre", "Europe/Amsterdam", null, Now).ShouldBeEmpty();
        StoreDecisions.ChangeDetails(Open, "Centrum", "Europe/Brussels", "Markt 1", Now)
            .ShouldBe([new StoreDetailsChanged(Open.Id, "Centrum", "Europe/Brussels", "Markt 1", Now)]);
    }

    [Fact]
    public void A_link_is_issued_with_its_token_and_a_numbered_label_when_none_is_given()
    {
        var linkId = Guid.NewGuid();
        var issued = StoreDecisions.Issue(Open, linkId, "  ", "token", Now).ShouldNotBeNull();

        issued.ShouldBe(new KioskLinkIssued(Open.Id, linkId, "token", "Tablet 1", Now));
        var withOne = RetailStoreProjection.Apply(issued, Open);
        StoreDecisions.Issue(withOne, Guid.NewGuid(), null, "other", Now)!.Label.ShouldBe("Tablet 2");
        StoreDecisions.Issue(withOne, Guid.NewGuid(), " Till ", "other", Now)!.Label.ShouldBe("Till");
    }

    [Fact]
    public void A_closed_store_gets_no_link()
    {
        StoreDecisions.Issue(Closed, Guid.NewGuid(), null, "token", Now).ShouldBeNull();
    }

    [Fact]
    public void Revoking_a_live_link_revokes_it_once_and_a_made_up_link_is_not_found()
    {
        var issued = StoreDecisions.Issue(Open, Guid.NewGuid(), null, "token", Now)!;
        var store = RetailStoreProjection.Apply(issued, Open);

        StoreDecisions.Revoke(store, issued.LinkId, Now).ShouldBe([new KioskLinkRevoked(store.Id, issued.LinkId, "token", Now)]);
        var revoked = RetailStoreProjection.Apply(new KioskLinkRevoked(store.Id, issued.LinkId, "token", Now), store);
        StoreDecisions.Revoke(revoked, issued.LinkId, Now).ShouldNotBeNull().ShouldBeEmpty();
        StoreDecisions.Revoke(revoked, Guid.NewGuid(), Now).ShouldBeNull();
    }
}
