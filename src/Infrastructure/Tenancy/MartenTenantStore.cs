using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// Tenants by subdomain, cached in memory because every request asks. Unknown subdomains are
/// cached too, so random hosts cannot make each request a database query. A change made in this
/// process is forgotten at once; a known tenant's entry also hangs on its change token, so other pods
/// forget it when the change is announced (<see cref="ITenantChanges"/>), and within <see cref="CacheFor"/> at most.
/// </summary>
internal sealed class MartenTenantStore(IDocumentStore store, IMemoryCache cache, ITenantChanges changes) : ITenantStore
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async ValueTask<Tenant?> FindByIdentifierAsync(string identifier, CancellationToken cancellationToken)
    {
        var key = CacheKey(identifier);
        if (cache.TryGetValue(key, out Tenant? cached))
        {
            return cached;
        }

        await using var session = store.QuerySession();
        var tenant = await session.Query<Tenant>().FirstOrDefaultAsync(t => t.Identifier == identifier, cancellationToken);
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 };
        if (tenant is not null)
        {
            // Taken after the read (the id is known only then): a change announced during the read is
            // missed by this entry, which CacheFor still bounds.
            options.AddExpirationToken(changes.Watch(tenant.Id));
        }

        cache.Set(key, tenant, options);
        return tenant;
    }

    public async ValueTask<Tenant?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        // Background work only: a fresh read, so a job never acts on a stale status.
        await using var session = store.QuerySession();
        return await session.LoadAsync<Tenant>(id, cancellationToken);
    }

    public void Forget(string identifier) => cache.Remove(CacheKey(identifier));

    private static string CacheKey(string identifier) => "tenant:" + identifier;
}
