using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Staff PINs, cached like the form definitions: every form view carries the store's hash, and the
/// form page is benchmarked. "No PIN" is cached too. The tenant's PIN and every store's hang on the
/// tenant's change token (<see cref="ITenantChanges"/>): a new PIN reaches every pod within a second
/// or so; <see cref="CacheFor"/> bounds what a pod serves if announcements stop arriving.
/// </summary>
internal sealed class CachedStaffPins(IDocumentStore store, IMemoryCache cache, ITenantChanges changes) : IStaffPins
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    public ValueTask<StaffPin?> FindAsync(Guid tenantId, CancellationToken cancellationToken) =>
        FindForStoreAsync(tenantId, null, cancellationToken);

    public async ValueTask<StaffPin?> FindForStoreAsync(Guid tenantId, Guid? storeId, CancellationToken cancellationToken)
    {
        var key = CacheKey(tenantId, storeId);
        if (cache.TryGetValue(key, out Entry? cached) && cached is not null)
        {
            return cached.Pin;
        }

        // Taken before the read: a change during the read expires what this read caches.
        var changed = changes.Watch(tenantId);
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
        options.ExpirationTokens.Add(changed);
        cache.Set(key, new Entry(pin), options);
        return pin;
    }

    public void Forget(Guid tenantId) => changes.Forget(tenantId);

    private static string CacheKey(Guid tenantId, Guid? storeId) => storeId is { } id ? $"staff-pin:{tenantId:N}:{id:N}" : $"staff-pin:{tenantId:N}";

    /// <summary>Wraps the answer so that "this store has no PIN" is a cache hit too.</summary>
    private sealed record Entry(StaffPin? Pin);
}
