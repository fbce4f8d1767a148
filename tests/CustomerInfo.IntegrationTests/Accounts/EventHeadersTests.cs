using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Accounts;

public class EventHeadersTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_event_appended_for_an_admin_action_carries_the_actor_the_tenant_and_the_client_address()
    {
        var tenantId = await TenantIdAsync("acme");
        var memberId = Guid.NewGuid();

        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition), Actor.Member(tenantId, memberId, TeamRole.Manager, "203.0.113.9"));

        var published = (await EventsOfAsync<FormDefinitionPublished>(tenantId)).ShouldHaveSingleItem();
        published.Headers.ShouldNotBeNull();
        published.Headers["actor"].ToString().ShouldBe($"member:{memberId}");
        published.Headers["tenant"].ToString().ShouldBe(tenantId.ToString());
        published.Headers["client"].ToString().ShouldBe("203.0.113.9");
    }

    [Fact]
    public async Task The_platform_owners_actions_are_recorded_as_the_platform_owner()
    {
        var tenantId = await TenantIdAsync("acme");

        var onboarded = (await EventsOfAsync<CustomerInfo.Domain.Tenants.TenantOnboarded>(tenantId)).ShouldHaveSingleItem();

        onboarded.Headers!["actor"].ToString().ShouldBe("platform-owner");
    }

    [Fact]
    public async Task A_shoppers_sign_up_carries_no_headers_at_all()
    {
        await CustomerInfo.IntegrationTests.Shoppers.Shoppers.AddStoreAsync(app, "shop");
        await app.SendAsync("shop", CustomerInfo.IntegrationTests.Shoppers.Shoppers.Quintessa(), Actor.Anonymous);

        var submitted = (await EventsOfAsync<SignUpSubmitted>(await TenantIdAsync("shop"))).ShouldHaveSingleItem();

        (submitted.Headers is null || submitted.Headers.Count == 0).ShouldBeTrue();
    }

    private async Task<Guid> TenantIdAsync(string identifier)
    {
        await using var scope = await StoreScope.EnterAsync(app, identifier);
        return scope.ServiceProvider.GetRequiredService<CustomerInfo.Application.Common.Tenancy.ITenantContext>().RequiredTenant.Id;
    }

    private async Task<IReadOnlyList<IEvent>> EventsOfAsync<T>(Guid tenantId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        return events.Where(e => e.Data is T).ToList();
    }
}
