using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Kiosk links, cached per pod: every form view and sign-up of a tablet asks. "No such link" is
/// cached too, so a made-up token costs one query per <see cref="CacheFor"/>. A tenant's entries
/// hang on its change token (<see cref="ITenantChanges"/>), which fires when any pod revokes a link
/// or closes a store, and for every tenant when announcements may have been missed.
/// <see cref="CacheFor"/> bounds what a pod serves if announcements stop arriving altogether.
/// </summary>
internal sealed class CachedKioskLinks(IDocumentStore store, IMemoryCache cache, ITenantChanges changes) : IKioskLinks
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public async ValueTask<KioskPlace?> FindAsync(Guid tenantId, string token, CancellationToken cancellationToken)
    {
        if (!KioskTokens.IsWellFormed(token))
        {
            return null;
        }

        var key = $"kiosk-link:{tenantId:N}:{token}";
        if (cache.TryGetValue(key, out Entry? cached) && cached is not null)
        {
            return cached.Place;
        }

        // Taken before the read: an announcement that arrives during the read fires it, so what was
        // read is never kept past a change it may have missed.
        var changed = changes.Watch(tenantId);

        await using var session = store.QuerySession(tenantId.ToString());
        var place = await LoadAsync(session, token, cancellationToken);
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 }
            .AddExpirationToken(changed);
        cache.Set(key, new Entry(place), options);
        return place;
    }

    private static async Task<KioskPlace?> LoadAsync(IQuerySession session, string token, CancellationToken cancellationToken)
    {
        var link = await session.LoadAsync<KioskLink>(token, cancellationToken);
        if (link is null)
        {
            return null;
        }

        var retailStore = await session.LoadAsync<RetailStore>(link.StoreId, cancellationToken);
        return retailStore is null
            ? null
            : new KioskPlace(link.LinkId, link.StoreId, retailStore.Name, link.IsRevoked, !retailStore.IsActive);
    }

    /// <summary>Wraps the answer so that "no such link" is a cache hit too.</summary>
    private sealed record Entry(KioskPlace? Place);
}
