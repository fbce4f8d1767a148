using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>A physical store of a tenant with one kiosk link, written as its events, as the kiosk finds them.</summary>
public sealed record TestKioskLink(Guid StoreId, Guid LinkId, string Token, string StoreName);

public static class KioskLinks
{
    public static async Task<TestKioskLink> AddKioskLinkAsync(this AppFactory app, Guid tenantId, string storeName, string timeZone = StoreTimeZones.Default)
    {
        var link = new TestKioskLink(Guid.NewGuid(), Guid.NewGuid(), NewToken(), storeName);
        var now = DateTimeOffset.UtcNow;
        await app.WriteStoreEventsAsync(
            tenantId,
            link.StoreId,
            new StoreAdded(link.StoreId, storeName, timeZone, null, now),
            new KioskLinkIssued(link.StoreId, link.LinkId, link.Token, "Tablet 1", now));
        return link;
    }

    public static Task RevokeAsync(this AppFactory app, Guid tenantId, TestKioskLink link) =>
        app.WriteStoreEventsAsync(tenantId, link.StoreId, new KioskLinkRevoked(link.StoreId, link.LinkId, link.Token, DateTimeOffset.UtcNow));

    public static Task CloseAsync(this AppFactory app, Guid tenantId, TestKioskLink link) =>
        app.WriteStoreEventsAsync(tenantId, link.StoreId, new StoreClosed(link.StoreId, DateTimeOffset.UtcNow));

    /// <summary>Appends to the store's stream and announces the change, as the store commands do.</summary>
    public static async Task WriteStoreEventsAsync(this AppFactory app, Guid tenantId, Guid storeId, params object[] events)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString());
        session.Events.Append(storeId, events);
        app.Services.GetRequiredService<ITenantChanges>().Announce(session, tenantId);
        await session.SaveChangesAsync();
    }

    public static string NewToken() => KioskTokens.New();
}
