using Marten;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.Application.Common.Tenancy;

/// <summary>
/// What each web pod caches of a tenant (the tenant itself, its form, staff PINs and kiosk links)
/// hangs on one change token per tenant. A handler that changes any of it announces the change in
/// its own transaction; every pod hears it through the database and forgets that tenant's entries
/// within a second or so, instead of serving them until they expire.
/// </summary>
public interface ITenantChanges
{
    /// <summary>Queues the notice in <paramref name="session"/>: it goes out when, and only if, the session commits.</summary>
    void Announce(IDocumentSession session, Guid tenantId);

    /// <summary>Forgets the tenant's entries on this pod now (after a commit here, so the next read here sees it).</summary>
    void Forget(Guid tenantId);

    /// <summary>
    /// Fires when a change of the tenant is heard, or when changes may have been missed. Take it
    /// before reading what will be cached, so a change that lands during the read expires it.
    /// </summary>
    IChangeToken Watch(Guid tenantId);
}
