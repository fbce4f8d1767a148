using System.Net;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.Stores.GetStore;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerInfo.FunctionalTests.Owner;

/// <summary>The app as ./build.sh run starts it: Development, on an empty database, with the PIN the script made.</summary>
public sealed class DevelopmentApp : AppFactory
{
    public const string StaffPin = "4829";
    public const string CentreToken = "centreCENTREcentre0123";
    public const string StationToken = "station_STATION-st4567";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting(DevelopmentSeed.StaffPinKey, StaffPin);
        builder.UseSetting(DevelopmentSeed.KioskTokensKey, $"{CentreToken}, {StationToken}");
    }
}

public class DevelopmentSeedTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    [Fact]
    public async Task In_development_metrics_answer_on_the_app_s_own_port_without_a_management_port()
    {
        var metrics = await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync("/metrics"), HttpStatusCode.OK);

        metrics.ShouldContain("# TYPE");
        metrics.ShouldNotContain("pool_name");
    }

    [Fact]
    public async Task An_empty_database_gets_the_open_demo_store_with_its_full_example_form()
    {
        var stores = await app.SendAsync(new ListTenantsQuery());

        var demo = stores.ShouldHaveSingleItem();
        demo.Identifier.ShouldBe(DevelopmentSeed.DemoIdentifier);
        demo.Status.ShouldBe(TenantStatus.Active);
        var form = await app.SendAsync("demo", new GetSignUpFormQuery(null, null));
        form.Definition.Version.ShouldBe(1);
        form.Definition.Questions.Select(q => q.Key).ShouldBe(DemoForm.Definition.Questions.Select(q => q.Key));
        form.Definition.Fields.ShouldBe(DemoForm.Definition.Fields);
        form.Definition.Locations.ShouldBeEmpty();
        (await app.ClientFor("demo.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        form.StaffPin.ShouldNotBeNull().Matches(DevelopmentApp.StaffPin).ShouldBeTrue();
    }

    [Fact]
    public async Task The_demo_shops_are_stores_each_with_the_printed_kiosk_link_and_its_own_pin()
    {
        var stores = await app.SendAsync("demo", new ListStoresQuery());

        stores.Select(s => s.Name).ShouldBe(DemoForm.Stores.Select(s => s.Name), ignoreOrder: true);
        var centre = (await app.SendAsync("demo", new GetStoreQuery(stores.Single(s => s.Name == DemoForm.Stores[0].Name).Id))).ShouldNotBeNull();
        centre.LiveLinks.ShouldHaveSingleItem().Url.AbsolutePath.ShouldBe($"/k/{DevelopmentApp.CentreToken}");
        centre.Store.StaffPinSetAt.ShouldNotBeNull();
        var station = (await app.SendAsync("demo", new GetStoreQuery(stores.Single(s => s.Name == DemoForm.Stores[1].Name).Id))).ShouldNotBeNull();
        station.LiveLinks.ShouldHaveSingleItem().Url.AbsolutePath.ShouldBe($"/k/{DevelopmentApp.StationToken}");
        var tenant = (await app.SendAsync(new ListTenantsQuery())).Single();
        var pins = app.Services.GetRequiredService<IStaffPins>();
        (await pins.FindForStoreAsync(tenant.Id, station.Store.Id, default)).ShouldNotBeNull().Id.ShouldBe(StaffPin.DocumentIdFor(station.Store.Id));

        // A restart adds nothing: the seed finds its stores and links.
        await app.Services.GetServices<IHostedService>().OfType<DevelopmentSeed>().Single().StartAsync(default);
        (await app.SendAsync("demo", new ListStoresQuery())).Sum(s => s.LiveLinks).ShouldBe(2);
    }
}
