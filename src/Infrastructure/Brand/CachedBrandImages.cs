using CustomerInfo.Application.Brand;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Infrastructure.Brand;

/// <summary>
/// Logo renditions from PostgreSQL, kept in this pod's memory: a fingerprint's bytes never change,
/// so nothing needs forgetting. The cache is its own and bounded (<see cref="MemoryBytes"/>), so
/// logos cannot crowd out the tenants and forms, and guessed fingerprints (cached as missing
/// briefly) cannot grow it without end.
/// </summary>
internal sealed class CachedBrandImages(IDocumentStore store) : IBrandImages, IDisposable
{
    public const long MemoryBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan MissingFor = TimeSpan.FromSeconds(30);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MemoryBytes });

    public async ValueTask<BrandImage?> FindAsync(Guid tenantId, string fingerprint, CancellationToken cancellationToken)
    {
        var key = (tenantId, fingerprint);
        if (cache.TryGetValue(key, out BrandImage? cached))
        {
            return cached;
        }

        await using var session = store.QuerySession(tenantId.ToString());
        var image = await session.LoadAsync<BrandImage>(fingerprint, cancellationToken);
        cache.Set(key, image, image is null
            ? new MemoryCacheEntryOptions { Size = 64, AbsoluteExpirationRelativeToNow = MissingFor }
            : new MemoryCacheEntryOptions { Size = image.Bytes.Length + 256, SlidingExpiration = TimeSpan.FromHours(6) });
        return image;
    }

    public void Dispose() => cache.Dispose();
}
