using System.Collections.Concurrent;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Staff PINs, cached like the form definitions: every form view carries the store's hash, and the
/// form page is benchmarked. "No PIN" is cached too. A change made in this process is forgotten at
/// once (the tenant's PIN and every store's, through one token per tenant); other replicas serve the
/// old hash for at most <see cref="CacheFor"/>.
/// </summary>
internal sealed class CachedStaffPins(IDocumentStore store, IMemoryCache cache) : IStaffPins
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> forgetting = new();

    public ValueTask<StaffPin?> FindAsync(Guid tenantId, CancellationToken cancellationToken) =>
        FindForStoreAsync(tenantId, null, cancellationToken);

    public async ValueTask<StaffPin?> FindForStoreAsync(Guid tenantId, Guid? storeId, CancellationToken cancellationToken)
    {
        var key = CacheKey(tenantId, storeId);
        if (cache.TryGetValue(key, out Entry? cached) && cached is not null)
        {
            return cached.Pin;
        }

        // Taken before the read: a Forget during the read expires what this read caches.
        var token = new CancellationChangeToken(forgetting.GetOrAdd(tenantId, _ => new CancellationTokenSource()).Token);
        await using var session = store.QuerySession(tenantId.ToString());
        StaffPin? pin;
        if (storeId is { } id)
        {
            var found = await session.LoadManyAsync<StaffPin>(cancellationToken, StaffPin.DocumentIdFor(id), StaffPin.DocumentId);
            pin = found.FirstOrDefault(p => p.Id == StaffPin.DocumentIdFor(id)) ?? found.FirstOrDefault(p => p.Id == StaffPin.DocumentId);
        }
        else
        {
            pin = await session.LoadAsync<StaffPin>(StaffPin.DocumentId, cancellationToken);
        }

        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 };
        options.ExpirationTokens.Add(token);
        cache.Set(key, new Entry(pin), options);
        return pin;
    }

    public void Forget(Guid tenantId)
    {
        if (forgetting.TryRemove(tenantId, out var source))
        {
            // Not disposed: a read that took its token a moment ago still reads it.
            source.Cancel();
        }
    }

    private static string CacheKey(Guid tenantId, Guid? storeId) => storeId is { } id ? $"staff-pin:{tenantId:N}:{id:N}" : $"staff-pin:{tenantId:N}";

    /// <summary>Wraps the answer so that "this store has no PIN" is a cache hit too.</summary>
    private sealed record Entry(StaffPin? Pin);
}
