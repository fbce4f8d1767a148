using System.Collections.Concurrent;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Stores;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Kiosk links, cached per pod: every form view and sign-up of a tablet asks. "No such link" is
/// cached too, so a made-up token costs one query per <see cref="CacheFor"/>. A tenant's entries
/// hang on one change token, which <see cref="StoreChangeListener"/> fires when PostgreSQL announces
/// a change of that tenant's stores (<see cref="PostgresStoreChanges"/>), and which <see cref="ForgetAll"/>
/// fires for every tenant when the listener may have missed announcements (it reconnected).
/// <see cref="CacheFor"/> bounds what a pod serves if announcements stop arriving altogether.
/// </summary>
internal sealed class CachedKioskLinks(IDocumentStore store, IMemoryCache cache) : IKioskLinks, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> tenants = new();
    private CancellationTokenSource everyone = new();

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
        var tenantChanged = tenants.GetOrAdd(tenantId, _ => new CancellationTokenSource()).Token;
        var allChanged = Volatile.Read(ref everyone).Token;

        await using var session = store.QuerySession(tenantId.ToString());
        var place = await LoadAsync(session, token, cancellationToken);
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 }
            .AddExpirationToken(new CancellationChangeToken(tenantChanged))
            .AddExpirationToken(new CancellationChangeToken(allChanged));
        cache.Set(key, new Entry(place), options);
        return place;
    }

    /// <summary>A change of this tenant's stores or links was committed somewhere.</summary>
    public void Forget(Guid tenantId)
    {
        if (tenants.TryRemove(tenantId, out var changed))
        {
            // Not disposed: a reader may have just taken its token; a source without a timer holds nothing to free.
            changed.Cancel();
        }
    }

    /// <summary>Announcements may have been missed: nothing cached before now is trusted.</summary>
    public void ForgetAll()
    {
        var previous = Interlocked.Exchange(ref everyone, new CancellationTokenSource());
        previous.Cancel();
    }

    public void Dispose()
    {
        everyone.Dispose();
        foreach (var source in tenants.Values)
        {
            source.Dispose();
        }
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
