using System.Net;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using Microsoft.AspNetCore.Hosting;

namespace CustomerInfo.FunctionalTests.Owner;

/// <summary>The app as ./build.sh run starts it: Development, on an empty database, with the PIN the script made.</summary>
public sealed class DevelopmentApp : AppFactory
{
    public const string StaffPin = "4829";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting(DevelopmentSeed.StaffPinKey, StaffPin);
    }
}

public class DevelopmentSeedTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
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
        form.Definition.Locations.ShouldBe(DemoForm.Definition.Locations);
        (await app.ClientFor("demo.localhost").GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        form.StaffPin.ShouldNotBeNull().Matches(DevelopmentApp.StaffPin).ShouldBeTrue();
    }
}
