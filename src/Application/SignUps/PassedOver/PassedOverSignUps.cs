using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
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
/// its shopper got "thank you", and it would never reach a contact or the CRM. Run every minute; it
/// looks at each stretch of the log twice: <see cref="FirstLook"/> after the subscription passed it
/// (soon, so a passed-over sign-up reaches the CRM within about two minutes) and again
/// <see cref="SecondLook"/> after (for an append that committed into the stretch later still); it
/// never races the subscription, and only looks at sign-ups that are still not linked nor erased. A consent
/// withdrawn in the stretch whose push left no outcome (pushed or failed) under the delivery id the
/// subscription's push has, on the contact's latest sign-up, is pushed then, under that id.
/// </summary>
public sealed record FindPassedOverSignUpsCommand : IJobCommand
{
    public override string ToString() => "Find sign-ups the contact linking passed over";
}

/// <summary>
/// Links the given sign-ups of one store (safe to repeat) and queues the push of those waiting for one;
/// and queues the push of each passed-over consent withdrawal: its contact's latest sign-up, with the
/// withdrawal's sequence as the trigger (the push the subscription would have queued).
/// </summary>
public sealed record LinkPassedOverSignUpsCommand(Guid TenantId, Guid[] SignUpIds, Guid[] SignUpIdsToPush, string? Store = null, Guid[]? WithdrawalSignUpIds = null, long[]? WithdrawalSequences = null) : ITenantJobCommand
{
    public override string ToString()
    {
        var store = Store ?? "store " + TenantId.ToString("N")[..8];
        var withdrawals = WithdrawalSignUpIds is { Length: > 0 } pushes ? $" and push {pushes.Length} withdrawn consent(s)" : "";
        return $"Link {SignUpIds.Length} sign-up(s) of {store}{withdrawals} the contact linking passed over";
    }
}

/// <summary>
/// How far the search has looked (global, one document): every sign-up event at or below <see cref="CheckedTo"/>
/// was looked at once, and at or below <see cref="RecheckedTo"/> twice.
/// </summary>
public sealed record PassedOverSearch
{
    public const string DocumentId = "contact-linking";

    public string Id { get; init; } = DocumentId;

    /// <summary>The highest event sequence looked at (the first look).</summary>
    public long CheckedTo { get; init; }

    /// <summary>The highest event sequence looked at again (the second look); never above <see cref="CheckedTo"/>. Unset in a search stored before the second look: its stretches were looked at 5 minutes late.</summary>
    public long? RecheckedTo { get; init; }

    /// <summary>
    /// Withdrawals are looked at above this sequence only: the subscription's progress when the search
    /// first ran. Older ones were never pushed under today's delivery ids (before the CRM push, or before a
    /// store's connection), and pushing each of their contacts again on the first run would be a surprise.
    /// </summary>
    public long WithdrawalsAfter { get; init; }

    /// <summary>The subscription's progress as seen by recent runs; a stretch is looked at when it is <see cref="FindPassedOverSignUpsHandler.FirstLook"/> and <see cref="FindPassedOverSignUpsHandler.SecondLook"/> old.</summary>
    public IReadOnlyList<ProgressSeen> Seen { get; init; } = [];
}

public sealed record ProgressSeen(DateTimeOffset At, long Progress);

public sealed partial class FindPassedOverSignUpsHandler(IDocumentStore store, IBackgroundJobs jobs, IClock clock, ILogger<FindPassedOverSignUpsHandler> logger)
    : ICommandHandler<FindPassedOverSignUpsCommand>
{
    /// <summary>The subscription's name (its progress row is "ContactLinking:All").</summary>
    public const string SubscriptionName = "ContactLinking";

    /// <summary>
    /// How long after the subscription passed a stretch of the log it is first looked at. The daemon
    /// skips a gap only after it stayed open for seconds with no live transaction that could fill it,
    /// and the web's commands end within seconds (Database:CommandTimeoutSeconds): an append that
    /// commits into a skipped range does so within moments of the skip.
    /// </summary>
    public static readonly TimeSpan FirstLook = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after the subscription passed a stretch it is looked at again, for an append that
    /// committed into it later than the first look: by then no transaction that could still commit
    /// into it is alive (the worker's commands end within Npgsql's 30 s too).
    /// </summary>
    public static readonly TimeSpan SecondLook = TimeSpan.FromMinutes(10);

    /// <summary>The most sequence numbers one run looks at, so a first run on a long log is a series of short ones.</summary>
    public const long MaxStretch = 200_000;

    // Over mt_events' primary key (the two looks' ranges of seq_id) and the summaries' (tenant_id, id): the
    // sign-ups of the stretches whose summary has no contact and no erasure. crm_status 0 is "waiting". The
    // first look's come first, as two queries would give them.
    private const string Sql = """
        select json_build_object('TenantId', e.tenant_id, 'SignUpId', e.stream_id, 'Waiting', s.crm_status = 0)
        from {events} as e
        join {summaries} as s on s.tenant_id = e.tenant_id and s.id = e.stream_id
        where ((e.seq_id > ? and e.seq_id <= ?) or (e.seq_id > ? and e.seq_id <= ?)) and e.type = ?
          and s.data ->> 'ContactId' is null and s.data ->> 'ErasedAt' is null
        order by (e.seq_id > ? and e.seq_id <= ?) desc, e.seq_id
        """;

    // The consent withdrawals of the two stretches (each names its contact), the first look's first.
    private const string WithdrawalsSql = """
        select json_build_object('TenantId', e.tenant_id, 'ContactId', (e.data ->> 'ContactId')::uuid, 'Sequence', e.seq_id)
        from {events} as e
        where ((e.seq_id > ? and e.seq_id <= ?) or (e.seq_id > ? and e.seq_id <= ?)) and e.type = ?
        order by (e.seq_id > ? and e.seq_id <= ?) desc, e.seq_id
        """;

    public async ValueTask<Unit> Handle(FindPassedOverSignUpsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var progress = ShardName.TryParse($"{SubscriptionName}:{ShardName.All}", out var shard) && shard is not null
            ? await store.Advanced.ProjectionProgressFor(shard, token: cancellationToken)
            : throw new InvalidOperationException($"'{SubscriptionName}:{ShardName.All}' is not a shard name.");
        await using var session = store.LightweightSession();
        var search = await session.LoadAsync<PassedOverSearch>(PassedOverSearch.DocumentId, cancellationToken) ?? new PassedOverSearch { WithdrawalsAfter = progress };
        var seen = search.Seen.Append(new ProgressSeen(now, progress)).ToList();

        // Each look covers the stretch up to the newest progress seen at least its delay ago; the second never passes the first.
        var first = Stretch(seen, now - FirstLook, search.CheckedTo, long.MaxValue);
        var second = Stretch(seen, now - SecondLook, search.RecheckedTo ?? search.CheckedTo, first.Until);
        // One query per kind over both looks (a sign-up in both stretches is found once).
        var found = await PassedOverAsync(session, first, second, cancellationToken);
        var withdrawals = await WithdrawalsAsync(
            session, first with { After = Math.Max(first.After, search.WithdrawalsAfter) }, second with { After = Math.Max(second.After, search.WithdrawalsAfter) }, cancellationToken);

        // The store's name is for the dashboard only; a stream of no known store is left (the subscription logs those).
        var tenantIds = found.Select(f => f.TenantId).Concat(withdrawals.Select(w => w.TenantId))
            .Select(t => Guid.TryParse(t, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToArray();
        var stores = tenantIds.Length == 0 ? [] : (await session.LoadManyAsync<Tenant>(cancellationToken, tenantIds)).ToDictionary(t => t.Id.ToString(), t => t);
        var withdrawalPushes = 0;
        foreach (var tenant in stores.Values)
        {
            var key = tenant.Id.ToString();
            var signUps = found.Where(f => f.TenantId == key).ToList();
            var unpushed = await UnpushedWithdrawalsAsync(tenant.Id, withdrawals.Where(w => w.TenantId == key).ToList(), cancellationToken);
            withdrawalPushes += unpushed.Count;
            var chunks = signUps.Chunk(PushSignUpsToCrmCommand.MaxSignUps).ToList();
            if (chunks.Count == 0 && unpushed.Count > 0)
            {
                chunks.Add([]);
            }

            for (var i = 0; i < chunks.Count; i++)
            {
                var withdrawn = i == 0 ? unpushed : [];
                jobs.Enqueue(
                    new LinkPassedOverSignUpsCommand(
                        tenant.Id,
                        [.. chunks[i].Select(c => c.SignUpId)],
                        [.. chunks[i].Where(c => c.Waiting).Select(c => c.SignUpId)],
                        tenant.Identifier,
                        [.. withdrawn.Select(w => w.SignUpId)],
                        [.. withdrawn.Select(w => w.Sequence)]),
                    JobLane.Crm);
            }
        }

        if (withdrawalPushes > 0)
        {
            LogWithdrawals(withdrawalPushes, first, second);
        }

        if (found.Count > 0)
        {
            LogFound(found.Count, first, second);
        }

        // Keep what the second look has not reached yet, and the newest it has (its next floor if nothing moves).
        var keep = seen.Where(s => s.At > now - SecondLook).ToList();
        if (seen.Where(s => s.At <= now - SecondLook).MaxBy(s => s.Progress) is { } newestSettled)
        {
            keep.Insert(0, newestSettled);
        }

        session.Store(search with { CheckedTo = Math.Max(search.CheckedTo, first.Until), RecheckedTo = Math.Max(search.RecheckedTo ?? search.CheckedTo, second.Until), Seen = keep });
        await session.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }

    /// <summary>The stretch (after, until] one look covers: up to the newest progress seen by <paramref name="seenBy"/>, at most <see cref="MaxStretch"/> and never above <paramref name="ceiling"/>.</summary>
    private static LogStretch Stretch(IEnumerable<ProgressSeen> seen, DateTimeOffset seenBy, long after, long ceiling)
    {
        var settled = seen.Where(s => s.At <= seenBy).Select(s => s.Progress).DefaultIfEmpty(after).Max();
        return new LogStretch(after, Math.Max(after, Math.Min(Math.Min(settled, after + MaxStretch), ceiling)));
    }

    private static async Task<IReadOnlyList<PassedOverSignUp>> PassedOverAsync(IDocumentSession session, LogStretch first, LogStretch second, CancellationToken cancellationToken)
    {
        if (first.IsEmpty && second.IsEmpty)
        {
            return [];
        }

        var options = session.DocumentStore.Options;
        var events = $"{options.Events.DatabaseSchemaName}.mt_events";
        var summaries = options.FindOrResolveDocumentType(typeof(SignUpSummary)).TableName.QualifiedName;
        var type = typeof(SignUpSubmitted).GetEventTypeName(options.Events.EventNamingStyle);
        return await session.AdvancedSql.QueryAsync<PassedOverSignUp>(
            Sql.Replace("{events}", events, StringComparison.Ordinal).Replace("{summaries}", summaries, StringComparison.Ordinal),
            cancellationToken,
            first.After,
            first.Until,
            second.After,
            second.Until,
            type,
            first.After,
            first.Until);
    }

    private static async Task<IReadOnlyList<PassedOverWithdrawal>> WithdrawalsAsync(IDocumentSession session, LogStretch first, LogStretch second, CancellationToken cancellationToken)
    {
        if (first.IsEmpty && second.IsEmpty)
        {
            return [];
        }

        var options = session.DocumentStore.Options;
        var events = $"{options.Events.DatabaseSchemaName}.mt_events";
        var type = typeof(ConsentWithdrawn).GetEventTypeName(options.Events.EventNamingStyle);
        return await session.AdvancedSql.QueryAsync<PassedOverWithdrawal>(
            WithdrawalsSql.Replace("{events}", events, StringComparison.Ordinal), cancellationToken, first.After, first.Until, second.After, second.Until, type, first.After, first.Until);
    }

    /// <summary>
    /// The withdrawals whose push left no outcome: for each, the contact's latest sign-up (where the
    /// subscription's push records its outcome) has no event with that push's delivery id. A store
    /// without an active connection has nothing to push (its first connection pushes every contact).
    /// </summary>
    private async Task<IReadOnlyList<(Guid SignUpId, long Sequence)>> UnpushedWithdrawalsAsync(Guid tenantId, IReadOnlyList<PassedOverWithdrawal> withdrawals, CancellationToken cancellationToken)
    {
        if (withdrawals.Count == 0)
        {
            return [];
        }

        await using var session = store.QuerySession(tenantId.ToString());
        if (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection)
        {
            return [];
        }

        var unpushed = new List<(Guid, long)>();
        foreach (var withdrawal in withdrawals)
        {
            if (await session.LatestSignUpIdAsync(withdrawal.ContactId, cancellationToken) is not { } latest)
            {
                continue;
            }

            var delivery = PushSignUpToCrmHandler.DeliveryId(connection.ConnectionId, latest, withdrawal.Sequence);
            var outcomes = await session.Events.FetchStreamAsync(latest, token: cancellationToken);
            if (!outcomes.Any(e => e.Data is SignUpPushedToCrm pushed && pushed.DeliveryId == delivery || e.Data is CrmPushFailed failed && failed.DeliveryId == delivery))
            {
                unpushed.Add((latest, withdrawal.Sequence));
            }
        }

        return unpushed;
    }

    /// <summary>A stretch (After, Until] of the event log's sequence.</summary>
    private sealed record LogStretch(long After, long Until)
    {
        public bool IsEmpty => Until <= After;

        public override string ToString() => IsEmpty ? "none" : $"({After}, {Until}]";
    }

    private sealed record PassedOverSignUp(string TenantId, Guid SignUpId, bool Waiting);

    private sealed record PassedOverWithdrawal(string TenantId, Guid ContactId, long Sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} consent withdrawal(s) of the event log's sequence {First} (first look) or {Second} (second look) left no push; pushing their contacts now")]
    private partial void LogWithdrawals(int count, LogStretch first, LogStretch second);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} sign-up(s) of the event log's sequence {First} (first look) or {Second} (second look) were passed over by the contact linking; linking and pushing them now")]
    private partial void LogFound(int count, LogStretch first, LogStretch second);
}

public sealed class LinkPassedOverSignUpsHandler(ISender sender, IQuerySession session, ITenantContext tenants, IBackgroundJobs jobs)
    : ICommandHandler<LinkPassedOverSignUpsCommand>
{
    public async ValueTask<Unit> Handle(LinkPassedOverSignUpsCommand command, CancellationToken cancellationToken)
    {
        await sender.Send(new LinkSignUpsToContactsCommand(command.SignUpIds), cancellationToken);
        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var tenant = tenants.RequiredTenant;
        var crm = connection is { Active: true } ? connection.Kind : null;
        foreach (var push in PushSignUpsToCrmCommand.Of(command.TenantId, command.SignUpIdsToPush, tenant.Identifier, crm))
        {
            jobs.Enqueue(push, JobLane.Crm);
        }

        foreach (var (signUpId, sequence) in (command.WithdrawalSignUpIds ?? []).Zip(command.WithdrawalSequences ?? []))
        {
            jobs.Enqueue(new PushSignUpsToCrmCommand(command.TenantId, [signUpId], sequence, Store: tenant.Identifier, Crm: crm), JobLane.Crm);
        }

        return Unit.Value;
    }
}
