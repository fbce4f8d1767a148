using Marten;

namespace CustomerInfo.Application.Stores;

/// <summary>
/// Tells every web pod that a tenant's stores or kiosk links changed (a link revoked, a store closed,
/// renamed or given a PIN), so the kiosk's per-pod caches forget them within a second or so instead
/// of serving them until they expire. Every handler that appends a store event calls it.
/// </summary>
public interface IStoreChanges
{
    /// <summary>Queues the notice in <paramref name="session"/>: it goes out when, and only if, the session commits.</summary>
    void Announce(IDocumentSession session, Guid tenantId);
}
