using System.Collections.Concurrent;
using CustomerInfo.Application.Common.Tenancy;
using Marten;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// PostgreSQL's NOTIFY, sent in the session's own transaction, so listeners hear of a change only
/// once it is committed. The payload is the tenant id: no names, no tokens. The change tokens are
/// this pod's: <see cref="TenantChangeListener"/> fires them for what other pods announce.
/// </summary>
internal sealed class PostgresTenantChanges : ITenantChanges, IDisposable
{
    /// <summary>Named when only stores announced; kept, so pods of the previous release hear the new ones during a rollout.</summary>
    public const string Channel = "customerinfo_store_changes";

    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> tenants = new();
    private CancellationTokenSource everyone = new();

    /// <remarks>
    /// NOTIFY, not <c>select pg_notify(…)</c>: Marten reads the results of its batch in order, and a
    /// statement that returns a row would be read as the next operation's. NOTIFY takes no parameters;
    /// the payload is a Guid in hex digits, which needs no quoting.
    /// </remarks>
    public void Announce(IDocumentSession session, Guid tenantId) =>
        session.QueueSqlCommand($"NOTIFY {Channel}, '{tenantId:N}'");

    public IChangeToken Watch(Guid tenantId) => new CompositeChangeToken(
    [
        new CancellationChangeToken(tenants.GetOrAdd(tenantId, _ => new CancellationTokenSource()).Token),
        new CancellationChangeToken(Volatile.Read(ref everyone).Token),
    ]);

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
}
