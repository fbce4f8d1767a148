using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.ChangeStoreDetails;
using CustomerInfo.Application.Stores.CloseStore;
using CustomerInfo.Application.Stores.CountActiveStores;
using CustomerInfo.Application.Stores.GetStore;
using CustomerInfo.Application.Stores.IssueKioskLink;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Application.Stores.ReopenStore;
using CustomerInfo.Application.Stores.RevokeKioskLink;
using CustomerInfo.Application.Stores.SetStoreStaffPin;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Stores;

/// <summary>The store commands on a real database: each appends to the store's stream and keeps its documents.</summary>
public class StoreCommandsTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid acme;
    private Guid bravo;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        acme = await app.AddStoreAsync("acme", "Acme");
        bravo = await app.AddStoreAsync("bravo", "Bravo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IReadOnlyList<object>> EventsOfAsync(Guid tenant, Guid storeId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.ToString());
        return [.. (await session.Events.FetchStreamAsync(storeId)).Select(e => e.Data)];
    }

    [Fact]
    public async Task A_store_is_added_renamed_closed_and_reopened_each_as_an_event_on_its_stream()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("  Centre ", "Europe/Amsterdam", "Markt 1"));
        (await app.SendAsync("acme", new ChangeStoreDetailsCommand(id, "Centrum", "Europe/Brussels", null))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new CloseStoreCommand(id))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new CloseStoreCommand(id))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new CountActiveStoresQuery())).ShouldBe(0);
        (await app.SendAsync("acme", new ReopenStoreCommand(id))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new ReopenStoreCommand(id))).IsDone.ShouldBeTrue();

        var events = await EventsOfAsync(acme, id);
        events.Select(e => e.GetType()).ShouldBe([typeof(StoreAdded), typeof(StoreDetailsChanged), typeof(StoreClosed), typeof(StoreReopened)]);
        ((StoreAdded)events[0]).Name.ShouldBe("Centre");
        var store = (await app.SendAsync("acme", new GetStoreQuery(id))).ShouldNotBeNull().Store;
        store.ShouldSatisfyAllConditions(
            () => store.Name.ShouldBe("Centrum"),
            () => store.TimeZone.ShouldBe("Europe/Brussels"),
            () => store.Address.ShouldBeNull(),
            () => store.IsActive.ShouldBeTrue());
        (await app.SendAsync("acme", new ListStoresQuery())).ShouldHaveSingleItem().ShouldBe(new StoreListItem(id, "Centrum", StoreStatus.Active, "Europe/Brussels", null, 0));
    }

    [Fact]
    public async Task Names_are_unique_among_a_tenants_stores_whatever_their_case_but_another_tenant_may_use_them()
    {
        var centre = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var station = await app.SendAsync("acme", new AddStoreCommand("Station", "Europe/Amsterdam"));

        var duplicate = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new AddStoreCommand("CENTRE", "Europe/Amsterdam")));
        duplicate.Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("Another store already has this name.");
        await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new ChangeStoreDetailsCommand(station, "centre", "Europe/Amsterdam")));
        (await app.SendAsync("acme", new ChangeStoreDetailsCommand(centre, "centre", "Europe/Amsterdam"))).IsDone.ShouldBeTrue();
        await app.SendAsync("bravo", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        (await app.SendAsync("acme", new ListStoresQuery())).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Links_are_issued_with_a_fresh_token_and_revoked_once_and_a_closed_store_gets_none()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var first = await app.SendAsync("acme", new IssueKioskLinkCommand(id));
        var second = await app.SendAsync("acme", new IssueKioskLinkCommand(id, "Till"));

        var detail = (await app.SendAsync("acme", new GetStoreQuery(id))).ShouldNotBeNull();
        detail.LiveLinks.Select(l => l.Label).ShouldBe(["Tablet 1", "Till"]);
        var tokens = detail.Store.Links.Select(l => l.Token).ToList();
        tokens.ShouldAllBe(t => KioskTokens.IsWellFormed(t));
        tokens.Distinct().Count().ShouldBe(2);
        detail.LiveLinks[0].Url.ShouldBe(new Uri($"http://acme.localhost/k/{tokens[0]}"));
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString()))
        {
            (await session.LoadAsync<KioskLink>(tokens[0])).ShouldNotBeNull().ShouldSatisfyAllConditions(
                l => l.StoreId.ShouldBe(id), l => l.LinkId.ShouldBe(first.LinkId!.Value), l => l.IsRevoked.ShouldBeFalse());
        }

        (await app.SendAsync("acme", new RevokeKioskLinkCommand(id, first.LinkId!.Value))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new RevokeKioskLinkCommand(id, first.LinkId!.Value))).IsDone.ShouldBeTrue();
        (await app.SendAsync("acme", new RevokeKioskLinkCommand(id, Guid.NewGuid()))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await EventsOfAsync(acme, id)).OfType<KioskLinkRevoked>().ShouldHaveSingleItem().LinkId.ShouldBe(first.LinkId!.Value);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(acme.ToString()))
        {
            (await session.LoadAsync<KioskLink>(tokens[0])).ShouldNotBeNull().IsRevoked.ShouldBeTrue();
        }

        var after = (await app.SendAsync("acme", new GetStoreQuery(id)))!;
        after.LiveLinks.ShouldHaveSingleItem().LinkId.ShouldBe(second.LinkId!.Value);
        after.RevokedLinks.ShouldHaveSingleItem().RevokedAt.ShouldNotBeNull();
        (await app.SendAsync("acme", new ListStoresQuery())).Single().LiveLinks.ShouldBe(1);

        await app.SendAsync("acme", new CloseStoreCommand(id));
        (await app.SendAsync("acme", new IssueKioskLinkCommand(id))).Outcome.ShouldBe(StoreChangeOutcome.StoreClosed);
    }

    [Fact]
    public async Task A_store_pin_is_its_own_and_other_stores_fall_back_to_the_tenant_pin()
    {
        var centre = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var station = await app.SendAsync("acme", new AddStoreCommand("Station", "Europe/Amsterdam"));
        var pins = app.Services.GetRequiredService<IStaffPins>();
        (await pins.FindForStoreAsync(acme, centre, default)).ShouldBeNull();

        await app.SendAsync(new SetStaffPinCommand(acme, "4829"));
        (await pins.FindForStoreAsync(acme, centre, default)).ShouldNotBeNull().Matches("4829").ShouldBeTrue();
        (await app.SendAsync("acme", new SetStoreStaffPinCommand(centre, "7391"))).IsDone.ShouldBeTrue();

        (await pins.FindForStoreAsync(acme, centre, default)).ShouldNotBeNull().Matches("7391").ShouldBeTrue();
        (await pins.FindForStoreAsync(acme, station, default)).ShouldNotBeNull().Matches("4829").ShouldBeTrue();
        (await pins.FindForStoreAsync(acme, null, default)).ShouldNotBeNull().Matches("4829").ShouldBeTrue();
        (await pins.FindAsync(acme, default)).ShouldNotBeNull().Id.ShouldBe(StaffPin.DocumentId);
        (await app.SendAsync("acme", new GetStoreQuery(centre)))!.Store.StaffPinSetAt.ShouldNotBeNull();
        (await EventsOfAsync(acme, centre)).OfType<StoreStaffPinSet>().ShouldHaveSingleItem();

        // Replaced: the cached hash is forgotten at once.
        await app.SendAsync("acme", new SetStoreStaffPinCommand(centre, "5063"));
        (await pins.FindForStoreAsync(acme, centre, default))!.Matches("5063").ShouldBeTrue();

        var refused = await Should.ThrowAsync<ValidationException>(() => app.SendAsync("acme", new SetStoreStaffPinCommand(centre, "1111")));
        refused.Errors.ShouldHaveSingleItem().PropertyName.ShouldBe("Pin");
        (await app.SendAsync("acme", new SetStoreStaffPinCommand(Guid.NewGuid(), "7391"))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
    }

    [Fact]
    public async Task Another_tenant_can_neither_see_nor_change_a_store()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        var link = (await app.SendAsync("acme", new IssueKioskLinkCommand(id))).LinkId!.Value;

        (await app.SendAsync("bravo", new GetStoreQuery(id))).ShouldBeNull();
        (await app.SendAsync("bravo", new ListStoresQuery())).ShouldBeEmpty();
        (await app.SendAsync("bravo", new ChangeStoreDetailsCommand(id, "Mine", "Europe/Amsterdam"))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await app.SendAsync("bravo", new CloseStoreCommand(id))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await app.SendAsync("bravo", new RevokeKioskLinkCommand(id, link))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await app.SendAsync("bravo", new IssueKioskLinkCommand(id))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await app.SendAsync("bravo", new SetStoreStaffPinCommand(id, "7391"))).Outcome.ShouldBe(StoreChangeOutcome.NotFound);
        (await app.SendAsync("bravo", new CountActiveStoresQuery())).ShouldBe(0);

        var store = (await app.SendAsync("acme", new GetStoreQuery(id)))!;
        store.Store.Name.ShouldBe("Centre");
        store.Store.IsActive.ShouldBeTrue();
        store.LiveLinks.ShouldHaveSingleItem();
        store.Store.StaffPinSetAt.ShouldBeNull();
        (await EventsOfAsync(bravo, id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Active_stores_are_the_ones_not_closed_and_the_system_may_count_them()
    {
        var a = await app.SendAsync("acme", new AddStoreCommand("A", "Europe/Amsterdam"));
        await app.SendAsync("acme", new AddStoreCommand("B", "Europe/Amsterdam"));
        await app.SendAsync("acme", new AddStoreCommand("C", "Europe/Amsterdam"));
        await app.SendAsync("acme", new CloseStoreCommand(a));

        (await app.SendAsync("acme", new CountActiveStoresQuery())).ShouldBe(2);
        (await app.SendAsync("acme", new CountActiveStoresQuery(), Actor.System("billing"))).ShouldBe(2);
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new CountActiveStoresQuery(), Actor.Member(acme, Guid.NewGuid(), TeamRole.Staff)));
    }

    [Fact]
    public async Task Staff_may_list_stores_but_not_change_them()
    {
        var staff = Actor.Member(acme, Guid.NewGuid(), TeamRole.Staff);
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));

        (await app.SendAsync("acme", new ListStoresQuery(), staff)).ShouldHaveSingleItem();
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new AddStoreCommand("Station", "Europe/Amsterdam"), staff));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new GetStoreQuery(id), staff));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("acme", new IssueKioskLinkCommand(id), staff));
    }

    [Fact]
    public async Task Of_two_managers_changing_a_store_at_once_the_second_writes_nothing_and_is_told()
    {
        var id = await app.SendAsync("acme", new AddStoreCommand("Centre", "Europe/Amsterdam"));
        await using var first = await StoreScope.EnterAsync(app, "acme");
        await using var second = await StoreScope.EnterAsync(app, "acme");
        var now = DateTimeOffset.UtcNow;

        var result = await first.ServiceProvider.GetRequiredService<StoreStreams>().ChangeAsync(id, store =>
        {
            // The other Manager renames the store after this one read it, before this one commits.
            second.ServiceProvider.GetRequiredService<StoreStreams>()
                .ChangeAsync(id, s => (StoreDecisions.ChangeDetails(s, "Centrum", s.TimeZone, s.Address, now), StoreChangeResult.Done), default)
                .GetAwaiter().GetResult().IsDone.ShouldBeTrue();
            return (StoreDecisions.Close(store, now), StoreChangeResult.Done);
        }, default);

        result.Outcome.ShouldBe(StoreChangeOutcome.Conflict);
        (await EventsOfAsync(acme, id)).Select(e => e.GetType()).ShouldBe([typeof(StoreAdded), typeof(StoreDetailsChanged)]);
        var store = (await app.SendAsync("acme", new GetStoreQuery(id)))!.Store;
        store.Name.ShouldBe("Centrum");
        store.IsActive.ShouldBeTrue();
    }
}
