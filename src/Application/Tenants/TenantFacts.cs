using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using JasperFx;
using Marten;

namespace CustomerInfo.Application.Tenants;

/// <summary>What became of a fact recorded for a tenant.</summary>
public enum TenantChangeOutcome
{
    /// <summary>New events were appended; <see cref="TenantChange.Tenant"/> is the tenant after them.</summary>
    Changed,

    /// <summary>Accepted, and already so (a retry): nothing was appended.</summary>
    Unchanged,

    /// <summary>The lifecycle refuses the fact; <see cref="TenantChange.Refusal"/> says why.</summary>
    Refused,

    NotFound,
}

public sealed record TenantChange(TenantChangeOutcome Outcome, Tenant? Tenant = null, TenantRefusal? Refusal = null)
{
    public static TenantChange NotFound { get; } = new(TenantChangeOutcome.NotFound);

    public bool IsRefused => Outcome is TenantChangeOutcome.Refused;

    /// <summary>The refusal in a sentence for a person, or null when there is none.</summary>
    public string? Explanation => Outcome switch
    {
        TenantChangeOutcome.Refused => TenantDecision.Explain(Refusal!.Value),
        TenantChangeOutcome.NotFound => TenantDecision.Explain(TenantRefusal.NotOnboarded),
        _ => null,
    };
}

/// <summary>
/// The one way a tenant's lifecycle is written: load its state from its stream (in the tenant's own
/// conjoined tenant), let <see cref="TenantLifecycle.Decide"/> decide, append the events and store the
/// global <see cref="Tenant"/> document that <see cref="TenantLifecycle.Evolve"/> makes of them, in one
/// transaction with optimistic concurrency on the stream (the expected version is the one read). The
/// document is thus a projection of the events, computed by the code that replays them.
/// </summary>
public sealed class TenantFacts(IDocumentStore store, ITenantStore tenants, ITenantChanges changes)
{
    /// <summary>Another writer appending at the same moment (a PIN set, the trial job) is retried this often.</summary>
    private const int Attempts = 3;

    public Task<TenantChange> RecordAsync(Guid tenantId, TenantFact fact, CancellationToken cancellationToken) =>
        RecordAsync(tenantId, fact, alsoWrite: null, cancellationToken);

    /// <param name="alsoWrite">
    /// Writes that belong to the same fact (a new retailer's first Owner and confirmation mail), made in
    /// the same session, so they commit or roll back with the tenant's events. Called once per attempt,
    /// only when the fact changes something.
    /// </param>
    public async Task<TenantChange> RecordAsync(Guid tenantId, TenantFact fact, Action<IDocumentSession, Tenant>? alsoWrite, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(tenantId, fact, alsoWrite, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                // Someone appended to the stream since we read it: decide again on the newer state.
            }
        }
    }

    private async Task<TenantChange> TryRecordAsync(Guid tenantId, TenantFact fact, Action<IDocumentSession, Tenant>? alsoWrite, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession(tenantId.ToString());
        var history = await session.Events.FetchStreamAsync(tenantId, token: cancellationToken);
        var state = TenantLifecycle.Replay(history.Select(e => e.Data));
        var decision = TenantLifecycle.Decide(state, fact);
        if (decision.Refusal is { } refusal)
        {
            return refusal is TenantRefusal.NotOnboarded ? TenantChange.NotFound : new TenantChange(TenantChangeOutcome.Refused, state, refusal);
        }

        if (decision.Events.Count == 0)
        {
            return new TenantChange(TenantChangeOutcome.Unchanged, state);
        }

        var after = decision.Events.Aggregate(state, TenantLifecycle.Evolve)!;
        object[] events = [.. decision.Events];
        if (history.Count == 0)
        {
            session.Events.StartStream(tenantId, events);
        }
        else
        {
            session.Events.Append(tenantId, history[^1].Version + events.Length, events);
        }

        session.Store(after);
        alsoWrite?.Invoke(session, after);
        // Other pods' host lookups, forms and kiosk caches of this tenant: a suspension or a new name shows at once.
        changes.Announce(session, tenantId);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            // Also after a failure: a cached copy may have been read between our read and the failure.
            tenants.Forget(after.Identifier);
            if (state is not null && state.Identifier != after.Identifier)
            {
                tenants.Forget(state.Identifier);
            }
        }

        return new TenantChange(TenantChangeOutcome.Changed, after);
    }
}
