using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure.SignUps;

/// <summary>
/// Writes sign-ups with group commit (ADR 8): sign-ups that arrive while a write is in flight are
/// written together by the next one, one Marten session and one transaction per store, instead of
/// one transaction per shopper. Each caller still waits until its own sign-up is committed, so an accepted sign-up
/// is a stored sign-up. When a shared write fails (usually because one sign-up was received before),
/// its sign-ups are written one by one, so one shopper's problem never costs another their sign-up.
/// </summary>
internal sealed partial class GroupCommitSignUpLog : ISignUpLog, IAsyncDisposable
{
    /// <summary>At most this many sign-ups share a transaction (three rows each).</summary>
    internal const int MaxBatch = 64;

    private readonly IDocumentStore store;
    private readonly ILogger<GroupCommitSignUpLog> logger;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Task writer;
    private readonly Histogram<int> batchSizes;

    public GroupCommitSignUpLog(IDocumentStore store, ILogger<GroupCommitSignUpLog> logger, IMeterFactory meters)
    {
        this.store = store;
        this.logger = logger;
        batchSizes = meters.Create(AppMeter.Name).CreateHistogram<int>(
            "customerinfo.signups.write.size", unit: "{sign-up}", description: "Sign-ups written together in one transaction.");
        // One writer: while it waits for PostgreSQL, the next batch forms (ADR 8 on why not more).
        // It writes for every request, so it takes nothing from the one that happened to start it
        // (such as that request's actor, which would otherwise land in every sign-up's event headers).
        using (ExecutionContext.SuppressFlow())
        {
            writer = Task.Run(WriteWhileOpenAsync);
        }
    }

    public async Task<bool> StartAsync(Guid tenantId, SignUpSubmitted submitted, CancellationToken cancellationToken)
    {
        var pending = new Pending(tenantId.ToString(), submitted);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The sign-up log is shut down.");
        }

        // Once queued, the sign-up is written even if this caller stops waiting.
        return await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking sign-ups and waits until every queued one is written.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
    }

    private async Task WriteWhileOpenAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            foreach (var sameStore in batch.GroupBy(p => p.TenantId, StringComparer.Ordinal))
            {
                await WriteTogetherAsync(sameStore.Key, sameStore.ToList());
            }

            batch.Clear();
        }
    }

    private async Task WriteTogetherAsync(string tenantId, List<Pending> sameStore)
    {
        // A double tap can put one submission twice into a batch: the second copy is written on its
        // own afterwards, where it finds the first and answers "already received".
        var seen = new HashSet<Guid>();
        var together = new List<Pending>(sameStore.Count);
        var alone = new List<Pending>();
        foreach (var pending in sameStore)
        {
            (seen.Add(pending.Submitted.SignUpId) ? together : alone).Add(pending);
        }

        if (together.Count == 1)
        {
            alone.Insert(0, together[0]);
        }
        else
        {
            try
            {
                await using var session = store.LightweightSession(tenantId);
                foreach (var pending in together)
                {
                    session.Events.StartStream(pending.Submitted.SignUpId, pending.Submitted);
                }

                await session.SaveChangesAsync();
                batchSizes.Record(together.Count);
                together.ForEach(p => p.Stored.TrySetResult(true));
            }
            catch (Exception exception) when (PostgresErrors.IsUnavailable(exception))
            {
                // The database cannot take writes now (restarting, out of connections, a statement
                // timed out): writing the batch one by one would make every waiting caller wait out
                // one timeout after another. They all fail now (503, ADR 28), and their kiosks send
                // them again with the same submission ids.
                LogBatchUnavailable(together.Count, exception.GetType().Name);
                together.ForEach(p => p.Stored.TrySetException(exception));
            }
            catch (Exception exception)
            {
                LogBatchFailed(together.Count, exception.GetType().Name);
                alone.InsertRange(0, together);
            }
        }

        foreach (var pending in alone)
        {
            await WriteAloneAsync(tenantId, pending);
        }
    }

    private async Task WriteAloneAsync(string tenantId, Pending pending)
    {
        try
        {
            await using var session = store.LightweightSession(tenantId);
            session.Events.StartStream(pending.Submitted.SignUpId, pending.Submitted);
            await session.SaveChangesAsync();
            batchSizes.Record(1);
            pending.Stored.TrySetResult(true);
        }
        catch (ExistingStreamIdCollisionException)
        {
            pending.Stored.TrySetResult(false);
        }
        catch (Exception exception)
        {
            pending.Stored.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared write of {Count} sign-ups failed ({Error}); writing them one by one")]
    private partial void LogBatchFailed(int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A shared write of {Count} sign-ups found the database unavailable ({Error}); all of them failed, to be sent again")]
    private partial void LogBatchUnavailable(int count, string error);

    private sealed class Pending(string tenantId, SignUpSubmitted submitted)
    {
        public string TenantId { get; } = tenantId;

        public SignUpSubmitted Submitted { get; } = submitted;

        public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
