using CustomerInfo.Application.Stores;
using CustomerInfo.Infrastructure.Tenancy;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.IntegrationTests.Stores;

/// <summary>Kiosk links are cached per pod; a revocation on one pod reaches the others' caches through PostgreSQL.</summary>
public class KioskLinkRevocationTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("demo", "Demo Store");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_link_revoked_on_one_pod_is_refused_by_another_pod_within_seconds()
    {
        await using var other = app.SecondPod();
        await other.Services.GetRequiredService<TenantChangeListener>().Listening.WaitAsync(Within);
        var link = await app.AddKioskLinkAsync(tenantId, "Station");
        var links = other.Services.GetRequiredService<IKioskLinks>();
        (await links.FindAsync(tenantId, link.Token, default))!.State.ShouldBe(KioskLinkState.Live);
        (await links.FindAsync(tenantId, link.Token, default))!.State.ShouldBe(KioskLinkState.Live); // now from the other pod's cache

        await app.RevokeAsync(tenantId, link);

        (await Eventually.HoldsAsync(() => links.FindAsync(tenantId, link.Token, default), p => p!.LinkRevoked)).ShouldBeTrue();
    }

    [Fact]
    public async Task Without_an_announcement_a_pod_keeps_its_cached_answer_so_the_announcement_is_what_stops_the_tablet()
    {
        var announced = app.Services.GetRequiredService<Application.Common.Tenancy.ITenantChanges>().Watch(tenantId);
        var link = await app.AddKioskLinkAsync(tenantId, "Station");
        // The link's own announcement comes back through LISTEN a moment after its commit: let it
        // arrive before caching, or it would empty the cache in the middle of this test.
        await Eventually.HoldsAsync(() => ValueTask.FromResult(announced.HasChanged), heard => heard, TimeSpan.FromSeconds(2));
        var links = app.Services.GetRequiredService<IKioskLinks>();
        (await links.FindAsync(tenantId, link.Token, default))!.State.ShouldBe(KioskLinkState.Live);

        // The revocation's events without the store commands' NOTIFY.
        await using (var session = app.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession(tenantId.ToString()))
        {
            session.Events.Append(link.StoreId, new Domain.Stores.KioskLinkRevoked(link.StoreId, link.LinkId, link.Token, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        (await links.FindAsync(tenantId, link.Token, default))!.LinkRevoked.ShouldBeFalse();
        await using var other = app.SecondPod();
        (await other.Services.GetRequiredService<IKioskLinks>().FindAsync(tenantId, link.Token, default))!.LinkRevoked.ShouldBeTrue();
    }

    [Fact]
    public async Task A_closed_store_and_an_unknown_or_other_tenant_s_token_are_told_apart()
    {
        var otherTenant = await app.AddStoreAsync("other", "Other Store");
        var link = await app.AddKioskLinkAsync(tenantId, "Station");
        var theirs = await app.AddKioskLinkAsync(otherTenant, "Their Station");
        var links = app.Services.GetRequiredService<IKioskLinks>();

        (await links.FindAsync(tenantId, theirs.Token, default)).ShouldBeNull();
        (await links.FindAsync(tenantId, KioskLinks.NewToken(), default)).ShouldBeNull();
        (await links.ResolveAsync(tenantId, "not a token", default)).State.ShouldBe(KioskLinkState.Unknown);
        (await links.ResolveAsync(tenantId, null, default)).State.ShouldBe(KioskLinkState.None);

        await app.CloseAsync(tenantId, link);
        (await Eventually.HoldsAsync(() => links.FindAsync(tenantId, link.Token, default), p => p!.StoreClosed)).ShouldBeTrue();
        (await links.FindAsync(otherTenant, theirs.Token, default))!.State.ShouldBe(KioskLinkState.Live);
    }

    [Fact]
    public async Task After_the_listener_loses_its_connection_it_listens_again_and_forgets_what_it_may_have_missed()
    {
        var listener = app.Services.GetRequiredService<TenantChangeListener>();
        await listener.Listening.WaitAsync(Within);
        var link = await app.AddKioskLinkAsync(tenantId, "Station");
        var links = app.Services.GetRequiredService<IKioskLinks>();
        (await links.FindAsync(tenantId, link.Token, default))!.LinkRevoked.ShouldBeFalse();

        await using (var admin = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'customerinfo-store-changes' and datname = current_database()", admin);
            await kill.ExecuteNonQueryAsync();
        }

        await app.RevokeAsync(tenantId, link);

        // Heard on the new connection, or forgotten when it was opened: either way within seconds.
        (await Eventually.HoldsAsync(() => links.FindAsync(tenantId, link.Token, default), p => p!.LinkRevoked, TimeSpan.FromSeconds(10))).ShouldBeTrue();
    }
}
