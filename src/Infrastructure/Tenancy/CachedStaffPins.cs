using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Staff PINs, cached like the form definitions: every form view carries the store's hash, and the
/// form page is benchmarked. "No PIN" is cached too. A change made in this process is forgotten at
/// once; other replicas serve the old hash for at most <see cref="CacheFor"/>.
/// </summary>
internal sealed class CachedStaffPins(IDocumentStore store, IMemoryCache cache) : IStaffPins
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    public async ValueTask<StaffPin?> FindAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var key = CacheKey(tenantId);
        if (cache.TryGetValue(key, out Entry? cached) && cached is not null)
        {
            return cached.Pin;
        }

        await using var session = store.QuerySession(tenantId.ToString());
        var pin = await session.LoadAsync<StaffPin>(StaffPin.DocumentId, cancellationToken);
        cache.Set(key, new Entry(pin), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 });
        return pin;
    }

    public void Forget(Guid tenantId) => cache.Remove(CacheKey(tenantId));

    private static string CacheKey(Guid tenantId) => $"staff-pin:{tenantId:N}";

    /// <summary>Wraps the answer so that "this store has no PIN" is a cache hit too.</summary>
    private sealed record Entry(StaffPin? Pin);
}
