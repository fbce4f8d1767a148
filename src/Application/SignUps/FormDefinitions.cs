using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerInfo.Application.SignUps;

/// <summary>
/// A store's form definitions, by version, cached: every form view and every sign-up needs one,
/// and they change only when the retailer publishes. A store that never published gets the starter form.
/// Entries hang on the tenant's change token, which a publish on any pod fires (<see cref="ITenantChanges"/>).
/// </summary>
public sealed class FormDefinitions(IDocumentStore store, IMemoryCache cache, ITenantChanges changes)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    public static string VersionId(int version) => $"v{version}";

    /// <summary>The definition shoppers see now.</summary>
    public ValueTask<FormDefinition> CurrentAsync(Tenant tenant, CancellationToken cancellationToken) =>
        GetAsync(tenant, FormDefinition.CurrentId, cancellationToken);

    /// <summary>
    /// The definition a shopper saw (an offline-queued sign-up may be older than the current form);
    /// the current one when that version is unknown.
    /// </summary>
    public async ValueTask<FormDefinition> VersionAsync(Tenant tenant, int? version, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(tenant, cancellationToken);
        if (version is null || version == current.Version || version < 1)
        {
            return current;
        }

        var seen = await GetAsync(tenant, VersionId(version.Value), cancellationToken);
        return seen.Version == version ? seen : current;
    }

    /// <summary>Called after a publish committed here, so the next request here reads the new form (other pods hear the announcement).</summary>
    public void Forget(Guid tenantId) => changes.Forget(tenantId);

    private async ValueTask<FormDefinition> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var key = CacheKey(tenant.Id, id);
        if (cache.TryGetValue(key, out FormDefinition? cached) && cached is not null)
        {
            return cached;
        }

        // Taken before the read: a publish during the read expires what this read caches.
        var changed = changes.Watch(tenant.Id);
        await using var session = store.QuerySession(tenant.Id.ToString());
        var definition = await session.LoadAsync<FormDefinition>(id, cancellationToken)
            ?? (id == FormDefinition.CurrentId ? FormDefinition.StarterFor(tenant.Name) : await CurrentAsync(tenant, cancellationToken));
        cache.Set(key, definition, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheFor, Size = 1 }.AddExpirationToken(changed));
        return definition;
    }

    private static string CacheKey(Guid tenantId, string id) => $"form:{tenantId:N}:{id}";
}
