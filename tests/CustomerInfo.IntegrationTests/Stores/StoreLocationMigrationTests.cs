using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Infrastructure.Stores;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using JasperFx.Resources;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerInfo.IntegrationTests.Stores;

/// <summary>Before stores existed, a form's locations named the shops and sign-ups held a location key; the migration step makes them stores.</summary>
public class StoreLocationMigrationTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid demo;
    private Guid belgian;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        demo = await app.AddStoreAsync("demo", "Demo Store");
        await app.SendAsync("demo", new PublishFormDefinitionCommand(DemoForm.WithLegacyLocations));
        belgian = await app.AddStoreAsync("brussel", "Brussel");
        await app.SendAsync("brussel", new PublishFormDefinitionCommand(DemoForm.WithLegacyLocations with { Country = "BE", Locations = [new("zuid", "Zuid")] }));
        await app.AddStoreAsync("plain", "No Locations");
        await app.SendAsync("plain", new PublishFormDefinitionCommand(DemoForm.Definition));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A sign-up as the previous version stored it: a location key, no store.</summary>
    private async Task<Guid> OldSignUpAsync(Guid tenant, string? location)
    {
        var id = Guid.NewGuid();
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenant.ToString());
        var now = DateTimeOffset.UtcNow;
        session.Events.StartStream(id, new SignUpSubmitted(id, 1, "en", location, now, now, new Shopper("Ann", null, null, null, null, null), [], null, null));
        await session.SaveChangesAsync();
        return id;
    }

    private async Task<SignUpSummary> SummaryAsync(Guid tenant, Guid signUp)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.ToString());
        return (await session.LoadAsync<SignUpSummary>(signUp))!;
    }

    private async Task<int> EventCountAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.AnyTenant()).CountAsync();
    }

    [Fact]
    public async Task Resource_setup_makes_each_location_a_store_with_a_link_and_attributes_its_sign_ups_once()
    {
        var atCentre = await OldSignUpAsync(demo, "centre");
        var atStation = await OldSignUpAsync(demo, "station");
        var nowhere = await OldSignUpAsync(demo, null);
        var gone = await OldSignUpAsync(demo, "closed-long-ago");
        var inBrussels = await OldSignUpAsync(belgian, "zuid");

        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);

        var stores = await app.SendAsync("demo", new ListStoresQuery());
        stores.Select(s => s.Name).ShouldBe(["Demo Store City Centre", "Demo Store Station"]);
        stores.ShouldAllBe(s => s.LiveLinks == 1 && s.TimeZone == "Europe/Amsterdam" && s.IsActive);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(demo.ToString()))
        {
            var centre = (await session.Query<RetailStore>().SingleAsync(s => s.LegacyLocationKey == "centre"));
            centre.Name.ShouldBe("Demo Store City Centre");
            (await session.LoadAsync<KioskLink>(centre.Links.Single().Token)).ShouldNotBeNull().StoreId.ShouldBe(centre.Id);
            (await SummaryAsync(demo, atCentre)).StoreId.ShouldBe(centre.Id);
        }

        (await SummaryAsync(demo, atStation)).StoreId.ShouldBe(stores.Single(s => s.Name == "Demo Store Station").Id);
        (await SummaryAsync(demo, nowhere)).StoreId.ShouldBeNull();
        (await SummaryAsync(demo, gone)).StoreId.ShouldBeNull();
        var zuid = (await app.SendAsync("brussel", new ListStoresQuery())).ShouldHaveSingleItem();
        zuid.TimeZone.ShouldBe("Europe/Brussels");
        (await SummaryAsync(belgian, inBrussels)).StoreId.ShouldBe(zuid.Id);
        (await app.SendAsync("plain", new ListStoresQuery())).ShouldBeEmpty();

        // Twice: nothing new.
        var events = await EventCountAsync();
        var again = await app.Services.GetRequiredService<StoreLocationMigration>().RunAsync(default);
        again.ShouldBe(new StoreLocationMigration.Outcome(0, 0));
        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);
        (await EventCountAsync()).ShouldBe(events);
        (await app.SendAsync("demo", new ListStoresQuery())).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_sign_up_made_under_a_migrated_key_later_is_attributed_on_the_next_run_and_a_store_added_by_hand_is_left_alone()
    {
        await app.SendAsync("demo", new AddStoreCommand("Demo Store Station", "Europe/London"));
        (await app.Services.GetRequiredService<StoreLocationMigration>().RunAsync(default)).StoresAdded.ShouldBe(3, "two in the demo store, one in Brussel");
        var late = await OldSignUpAsync(demo, "centre");

        (await app.Services.GetRequiredService<StoreLocationMigration>().RunAsync(default)).ShouldBe(new StoreLocationMigration.Outcome(0, 1));

        var stores = await app.SendAsync("demo", new ListStoresQuery());
        stores.Select(s => s.Name).ShouldBe(["Demo Store City Centre", "Demo Store Station", "Demo Store Station (station)"]);
        (await SummaryAsync(demo, late)).StoreId.ShouldBe(stores.Single(s => s.Name == "Demo Store City Centre").Id);
    }
}
