using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Stores;
using JasperFx;
using Marten;

namespace CustomerInfo.Application.Stores;

/// <summary>
/// The one way a store's stream is written after it began: read the store with the stream's version
/// (<c>FetchForWriting</c>), let a decision say what to append, append it, tell the pods, commit.
/// Two Managers changing one store at once: the second commit finds the version moved and writes
/// nothing (<see cref="StoreChangeOutcome.Conflict"/>), so no decision is made on a stale store.
/// </summary>
public sealed class StoreStreams(IDocumentSession session, ITenantContext tenant, ITenantChanges changes)
{
    /// <param name="decide">The events for the store as it is; null: refused with that outcome.</param>
    public async Task<StoreChangeResult> ChangeAsync(
        Guid storeId, Func<RetailStore, (IReadOnlyList<object>? Events, StoreChangeResult Refusal)> decide, CancellationToken cancellationToken,
        Action<IDocumentSession, RetailStore>? alsoWrite = null)
    {
        var stream = await session.Events.FetchForWriting<RetailStore>(storeId, cancellationToken);
        if (stream.Aggregate is not { } store)
        {
            return StoreChangeResult.NotFound;
        }

        var (events, refusal) = decide(store);
        if (events is null)
        {
            return refusal;
        }

        if (events.Count == 0 && alsoWrite is null)
        {
            return StoreChangeResult.Done;
        }

        stream.AppendMany(events.ToArray());
        alsoWrite?.Invoke(session, store);
        return await CommitAsync(cancellationToken) ? StoreChangeResult.Done : StoreChangeResult.Conflict;
    }

    /// <summary>A new store's stream: the stream id is the store id.</summary>
    public async Task StartAsync(Guid storeId, IEnumerable<object> events, CancellationToken cancellationToken)
    {
        session.Events.StartStream<RetailStore>(storeId, events.ToArray());
        await CommitAsync(cancellationToken);
    }

    private async Task<bool> CommitAsync(CancellationToken cancellationToken)
    {
        changes.Announce(session, tenant.RequiredTenant.Id);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }
}
