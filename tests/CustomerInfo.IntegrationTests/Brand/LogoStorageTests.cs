using System.Net;
using CustomerInfo.Application.Brand;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Brand;

public class LogoStorageTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid tenantId;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        tenantId = await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_logo_uploaded_on_one_pod_is_served_by_another_from_postgresql()
    {
        var outcome = await app.SendAsync("acme", new UploadLogoCommand(TestImages.Png(), BasedOnVersion: 0));
        outcome.Published.ShouldBe(1);
        var logo = (await app.SendAsync("acme", new GetBrandingQuery())).Logo.ShouldNotBeNull();

        await using var other = app.SecondPod();
        var served = await other.ClientFor("acme.localhost").GetAsync(logo.Path);

        served.StatusCode.ShouldBe(HttpStatusCode.OK);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        BrandImage.FingerprintOf(bytes).ShouldBe(logo.Fingerprint);
        var kiosk = await (await other.ClientFor("acme.localhost").GetAsync("/")).Content.ReadAsStringAsync();
        kiosk.ShouldContain($"src=\"{logo.Path}\"");
    }

    [Fact]
    public async Task The_renditions_are_rows_of_the_tenant_in_postgresql_keyed_by_the_fingerprint_of_their_bytes()
    {
        await app.SendAsync("acme", new UploadLogoCommand(TestImages.Jpeg(), BasedOnVersion: 0));
        var logo = (await app.SendAsync("acme", new GetBrandingQuery())).Logo.ShouldNotBeNull();

        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        var images = await session.Query<BrandImage>().ToListAsync();
        images.Select(i => i.Id).ShouldBe([logo.Fingerprint, logo.HiDpiFingerprint!], ignoreOrder: true);
        images.ShouldAllBe(i => BrandImage.FingerprintOf(i.Bytes) == i.Id && i.Bytes.Length <= LogoFile.MaxStoredBytes);
        await using var elsewhere = app.Services.GetRequiredService<IDocumentStore>().QuerySession(Guid.NewGuid().ToString());
        (await elsewhere.LoadAsync<BrandImage>(logo.Fingerprint)).ShouldBeNull();
    }

    [Fact]
    public async Task A_rename_reaches_the_global_tenant_document_the_stream_and_this_pods_host_lookup()
    {
        var lookup = app.Services.GetRequiredService<Application.Common.Tenancy.ITenantStore>();
        (await lookup.FindByIdentifierAsync("acme", default))!.Name.ShouldBe("Acme Shoes"); // now cached

        await app.SendAsync("acme", new SaveBrandingCommand("Acme Boots", "#1f5f8b", "#f5f7fa", BasedOnVersion: 0));

        (await lookup.FindByIdentifierAsync("acme", default))!.Name.ShouldBe("Acme Boots");
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString());
        var stream = await session.Events.FetchStreamAsync(tenantId);
        stream.Select(e => e.Data).OfType<Domain.Tenants.TenantRenamed>().ShouldHaveSingleItem().Name.ShouldBe("Acme Boots");
        Domain.Tenants.TenantLifecycle.Replay(stream.Select(e => e.Data))!.Name.ShouldBe("Acme Boots");
        (await session.LoadAsync<Domain.Tenants.Tenant>(tenantId))!.Name.ShouldBe("Acme Boots");
    }
}
