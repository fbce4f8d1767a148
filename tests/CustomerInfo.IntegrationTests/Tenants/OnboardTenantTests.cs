using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants.ChangeTenantStatus;
using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

public class OnboardTenantTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Onboarding_stores_a_trialing_tenant_and_starts_its_history()
    {
        var result = await app.SendAsync(new OnboardTenantCommand("Acme", "  Acme Outdoor  "));

        result.Identifier.ShouldBe("acme");
        var tenant = await app.Services.GetRequiredService<ITenantStore>().FindByIdentifierAsync("acme", default);
        tenant.ShouldNotBeNull();
        tenant.Id.ShouldBe(result.TenantId);
        tenant.Name.ShouldBe("Acme Outdoor");
        tenant.Status.ShouldBe(TenantStatus.Trialing);

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        var history = await session.Events.FetchStreamAsync(tenant.Id);
        history.Single().Data.ShouldBeOfType<TenantOnboarded>().Identifier.ShouldBe("acme");
    }

    [Theory]
    [InlineData("www", "Shop", "Subdomain", "reserved")]
    [InlineData("no way", "Shop", "Subdomain", "letters a–z")]
    [InlineData(null, "Shop", "Subdomain", "Choose a subdomain")]
    [InlineData("shop", "", "Name", "Enter the name")]
    [InlineData("shop", "bad\u0007name", "Name", "cannot be shown")]
    public async Task Invalid_input_is_refused_by_the_validation_behaviour_and_stores_nothing(string? subdomain, string? name, string property, string message)
    {
        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand(subdomain, name)));

        exception.Errors.ShouldContain(e => e.PropertyName == property && e.ErrorMessage.Contains(message));
        (await app.SendAsync(new ListTenantsQuery())).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_name_over_the_limit_is_refused()
    {
        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("shop", new string('x', 81))));
        exception.Errors.ShouldContain(e => e.PropertyName == "Name");
    }

    [Fact]
    public async Task A_taken_subdomain_is_refused_whatever_its_case()
    {
        await app.SendAsync(new OnboardTenantCommand("acme", "Acme"));

        var exception = await Should.ThrowAsync<ValidationException>(() => app.SendAsync(new OnboardTenantCommand("ACME", "Other Acme")));

        exception.Errors.Single().ErrorMessage.ShouldContain("taken");
        (await app.SendAsync(new ListTenantsQuery())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_status_change_is_seen_at_once_and_kept_in_the_history()
    {
        var id = await app.AddStoreAsync("acme", "Acme", TenantStatus.Active);
        var tenants = app.Services.GetRequiredService<ITenantStore>();
        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Active);

        (await app.SendAsync(new ChangeTenantStatusCommand(id, TenantStatus.Suspended))).ShouldBeTrue();
        (await app.SendAsync(new ChangeTenantStatusCommand(id, TenantStatus.Suspended))).ShouldBeTrue();

        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Suspended);
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(id.ToString());
        (await session.Events.FetchStreamAsync(id)).Select(e => e.Data.GetType().Name)
            .ShouldBe([nameof(TenantOnboarded), nameof(TenantStatusChanged), nameof(TenantStatusChanged)]);
    }

    [Fact]
    public async Task Changing_the_status_of_an_unknown_tenant_reports_false() =>
        (await app.SendAsync(new ChangeTenantStatusCommand(Guid.NewGuid(), TenantStatus.Active))).ShouldBeFalse();

    [Fact]
    public async Task An_unknown_subdomain_is_remembered_as_unknown_until_a_tenant_takes_it()
    {
        var tenants = app.Services.GetRequiredService<ITenantStore>();
        (await tenants.FindByIdentifierAsync("later", default)).ShouldBeNull();

        await app.SendAsync(new OnboardTenantCommand("later", "Later Ltd"));

        (await tenants.FindByIdentifierAsync("later", default)).ShouldNotBeNull().Name.ShouldBe("Later Ltd");
    }

    [Fact]
    public async Task The_tenant_list_is_newest_first()
    {
        await app.SendAsync(new OnboardTenantCommand("first", "First"));
        await app.SendAsync(new OnboardTenantCommand("second", "Second"));

        (await app.SendAsync(new ListTenantsQuery())).Select(t => t.Identifier).ShouldBe(["second", "first"]);
    }
}
