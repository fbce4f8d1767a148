using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Application.Tenants.SuspendTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Tenancy;
using CustomerInfo.TestSupport;
using CustomerInfo.Web.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

/// <summary>
/// Each pod caches a tenant's form, staff PINs and the tenant itself; a change on one pod reaches the
/// others' caches through PostgreSQL within seconds, not when their entries expire (minutes).
/// </summary>
public class TenantChangeTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_form_published_on_one_pod_is_the_form_another_pod_serves_within_seconds()
    {
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0));
        await using var other = await ListeningPodAsync();
        var tenant = await app.TenantAsync("acme");
        var forms = other.Services.GetRequiredService<FormDefinitions>();
        (await forms.CurrentAsync(tenant, default)).Version.ShouldBe(1); // now in the other pod's cache

        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition with { IdleSeconds = 90 }, BasedOnVersion: 1));

        (await Eventually.HoldsAsync(() => forms.CurrentAsync(tenant, default), f => f.Version == 2 && f.IdleSeconds == 90)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_staff_pin_set_on_one_pod_reaches_another_pod_s_kiosk_within_seconds()
    {
        await using var other = await ListeningPodAsync();
        var pins = other.Services.GetRequiredService<IStaffPins>();
        (await pins.FindAsync(tenantId, default)).ShouldBeNull(); // "no PIN" is cached too

        (await app.SendAsync(new SetStaffPinCommand(tenantId, "4829"))).ShouldBeTrue();

        (await Eventually.HoldsAsync(() => pins.FindAsync(tenantId, default), pin => pin is not null)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_tenant_suspended_on_one_pod_is_suspended_on_another_pod_within_seconds()
    {
        await using var other = await ListeningPodAsync();
        var tenants = other.Services.GetRequiredService<ITenantStore>();
        (await tenants.FindByIdentifierAsync("acme", default))!.Status.ShouldBe(TenantStatus.Active);

        (await app.SendAsync(new SuspendTenantCommand(tenantId))).Outcome.ShouldBe(TenantChangeOutcome.Changed);

        (await Eventually.HoldsAsync(() => tenants.FindByIdentifierAsync("acme", default), t => t!.Status == TenantStatus.Suspended)).ShouldBeTrue();
    }

    [Fact]
    public async Task Without_an_announcement_another_pod_keeps_its_cached_form_so_the_announcement_is_what_moves_it()
    {
        await app.SendAsync("acme", new PublishFormDefinitionCommand(DemoForm.Definition, BasedOnVersion: 0));
        await using var other = await ListeningPodAsync();
        var tenant = await app.TenantAsync("acme");
        var forms = other.Services.GetRequiredService<FormDefinitions>();
        (await forms.CurrentAsync(tenant, default)).Version.ShouldBe(1);

        // A publish's documents written without its NOTIFY.
        await using (var session = app.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            session.Store(DemoForm.Definition with { Version = 2 });
            await session.SaveChangesAsync();
        }

        (await Eventually.HoldsAsync(() => forms.CurrentAsync(tenant, default), f => f.Version == 2, TimeSpan.FromSeconds(1))).ShouldBeFalse();
    }

    private async Task<AppFactory> ListeningPodAsync()
    {
        var other = app.SecondPod();
        await other.Services.GetRequiredService<TenantChangeListener>().Listening.WaitAsync(Eventually.Within);
        return other;
    }

}
