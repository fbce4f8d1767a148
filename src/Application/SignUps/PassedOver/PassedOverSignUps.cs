using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Application.SignUps.PassedOver;

/// <summary>
/// Finds the sign-ups the contact-linking subscription went past without linking, and links and
/// pushes them (ADR 34). The subscription is run by Marten's async daemon, which follows the event
/// log up to its high-water mark; when a gap in the log's sequence stays open long enough and the
/// daemon sees no transaction that could still fill it, it moves the mark past the gap. An append that
/// commits into that range afterwards is never handed to the subscription: its sign-up is stored,
/// its shopper got "thank you", and it would never reach a contact or the CRM. Run every 5 minutes; it
/// looks at each stretch of the log once, <see cref="Settle"/> after the subscription passed it, so it
/// never races the subscription, and only at sign-ups that are still not linked nor erased.
/// </summary>
public sealed record FindPassedOverSignUpsCommand : IJobCommand
{
    public override string ToString() => "Find sign-ups the contact linking passed over";
}

/// <summary>Links the given sign-ups of one store (safe to repeat) and queues the push of those waiting for one.</summary>
public sealed record LinkPassedOverSignUpsCommand(Guid TenantId, Guid[] SignUpIds, Guid[] SignUpIdsToPush, string? Store = null) : ITenantJobCommand
{
    public override string ToString() =>
        $"Link {SignUpIds.Length} sign-up(s) of {Store ?? "store " + TenantId.ToString("N")[..8]} the contact linking passed over";
}

/// <summary>How far the search has looked (global, one document): every sign-up event at or below <see cref="CheckedTo"/> was looked at once.</summary>
public sealed record PassedOverSearch
{
    public const string DocumentId = "contact-linking";

    public string Id { get; init; } = DocumentId;

    /// <summary>The highest event sequence looked at.</summary>
    public long CheckedTo { get; init; }

    /// <summary>The subscription's progress as seen by recent runs; a stretch is looked at once it is <see cref="FindPassedOverSignUpsHandler.Settle"/> old.</summary>
    public IReadOnlyList<ProgressSeen> Seen { get; init; } = [];
}

public sealed record ProgressSeen(DateTimeOffset At, long Progress);

public sealed partial class FindPassedOverSignUpsHandler(IDocumentStore store, IBackgroundJobs jobs, IClock clock, ILogger<FindPassedOverSignUpsHandler> logger)
    : ICommandHandler<FindPassedOverSignUpsCommand>
{
    /// <summary>The subscription's name (its progress row is "ContactLinking:All").</summary>
    public const string SubscriptionName = "ContactLinking";

    /// <summary>
    /// How long after the subscription passed a stretch of the log it is looked at. By then no
    /// transaction that could still commit into it is alive: the web's commands end within seconds
    /// (Database:CommandTimeoutSeconds), the worker's within Npgsql's 30 s.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    /// <summary>The most sequence numbers one run looks at, so a first run on a long log is a series of short ones.</summary>
    public const long MaxStretch = 200_000;

    // Over mt_events' primary key (a range of seq_id) and the summaries' (tenant_id, id): the sign-ups
    // of the stretch whose summary has no contact and no erasure. crm_status 0 is "waiting".
    private const string Sql = """
        select json_build_object('TenantId', e.tenant_id, 'SignUpId', e.stream_id, 'Waiting', s.crm_status = 0)
        from {events} as e
        join {summaries} as s on s.tenant_id = e.tenant_id and s.id = e.stream_id
        where e.seq_id > ? and e.seq_id <= ? and e.type = ?
          and s.data ->> 'ContactId' is null and s.data ->> 'ErasedAt' is null
        order by e.seq_id
        """;

    public async ValueTask<Unit> Handle(FindPassedOverSignUpsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var progress = ShardName.TryParse($"{SubscriptionName}:{ShardName.All}", out var shard) && shard is not null
            ? await store.Advanced.ProjectionProgressFor(shard, token: cancellationToken)
            : throw new InvalidOperationException($"'{SubscriptionName}:{ShardName.All}' is not a shard name.");
        await using var session = store.LightweightSession();
        var search = await session.LoadAsync<PassedOverSearch>(PassedOverSearch.DocumentId, cancellationToken) ?? new PassedOverSearch();
        var seen = search.Seen.Append(new ProgressSeen(now, progress)).ToList();

        // The newest progress seen at least Settle ago: the subscription passed it long enough ago.
        var settled = seen.Where(s => s.At <= now - Settle).Select(s => s.Progress).DefaultIfEmpty(search.CheckedTo).Max();
        var until = Math.Min(settled, search.CheckedTo + MaxStretch);
        var found = until > search.CheckedTo ? await PassedOverAsync(session, search.CheckedTo, until, cancellationToken) : [];

        // The store's name is for the dashboard only; a stream of no known store is left (the subscription logs those).
        var tenantIds = found.Select(f => Guid.TryParse(f.TenantId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToArray();
        var stores = tenantIds.Length == 0 ? [] : (await session.LoadManyAsync<Tenant>(cancellationToken, tenantIds)).ToDictionary(t => t.Id.ToString(), t => t);
        foreach (var group in found.GroupBy(f => f.TenantId))
        {
            if (!stores.TryGetValue(group.Key, out var tenant))
            {
                continue;
            }

            foreach (var chunk in group.Chunk(PushSignUpsToCrmCommand.MaxSignUps))
            {
                jobs.Enqueue(new LinkPassedOverSignUpsCommand(tenant.Id, [.. chunk.Select(c => c.SignUpId)], [.. chunk.Where(c => c.Waiting).Select(c => c.SignUpId)], tenant.Identifier), JobLane.Crm);
            }
        }

        if (found.Count > 0)
        {
            LogFound(found.Count, search.CheckedTo, until);
        }

        // Keep what is not settled yet, and the newest settled one (the next run's floor if nothing moves).
        var keep = seen.Where(s => s.At > now - Settle).ToList();
        if (seen.Where(s => s.At <= now - Settle).MaxBy(s => s.Progress) is { } newestSettled)
        {
            keep.Insert(0, newestSettled);
        }

        session.Store(search with { CheckedTo = Math.Max(search.CheckedTo, until), Seen = keep });
        await session.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }

    private static async Task<IReadOnlyList<PassedOverSignUp>> PassedOverAsync(IDocumentSession session, long after, long until, CancellationToken cancellationToken)
    {
        var options = session.DocumentStore.Options;
        var events = $"{options.Events.DatabaseSchemaName}.mt_events";
        var summaries = options.FindOrResolveDocumentType(typeof(SignUpSummary)).TableName.QualifiedName;
        var type = typeof(SignUpSubmitted).GetEventTypeName(options.Events.EventNamingStyle);
        return await session.AdvancedSql.QueryAsync<PassedOverSignUp>(
            Sql.Replace("{events}", events, StringComparison.Ordinal).Replace("{summaries}", summaries, StringComparison.Ordinal),
            cancellationToken,
            after,
            until,
            type);
    }

    private sealed record PassedOverSignUp(string TenantId, Guid SignUpId, bool Waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} sign-up(s) of the event log's sequence ({After}, {Until}] were passed over by the contact linking; linking and pushing them now")]
    private partial void LogFound(int count, long after, long until);
}

public sealed class LinkPassedOverSignUpsHandler(ISender sender, IQuerySession session, ITenantContext tenants, IBackgroundJobs jobs)
    : ICommandHandler<LinkPassedOverSignUpsCommand>
{
    public async ValueTask<Unit> Handle(LinkPassedOverSignUpsCommand command, CancellationToken cancellationToken)
    {
        await sender.Send(new LinkSignUpsToContactsCommand(command.SignUpIds), cancellationToken);
        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var tenant = tenants.RequiredTenant;
        foreach (var push in PushSignUpsToCrmCommand.Of(command.TenantId, command.SignUpIdsToPush, tenant.Identifier, connection is { Active: true } ? connection.Kind : null))
        {
            jobs.Enqueue(push, JobLane.Crm);
        }

        return Unit.Value;
    }
}
