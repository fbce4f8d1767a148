using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Application.Import.ExpireUnstartedImports;

/// <summary>
/// Hourly, over every tenant: an uploaded customer list nobody started within <see cref="ExpireUploads.KeptFor"/>
/// loses its file. Its chunks are the only copy of its shoppers' details outside the event store, which an
/// erasure cannot reach (ADR 18), so they are kept no longer than a Manager needs to map and start them.
/// The run stays, marked <see cref="ImportStatus.Expired"/>, so the admin can say what happened to it.
/// </summary>
public sealed record ExpireUnstartedImportsCommand : IJobCommand;

public static class ExpireUploads
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    /// <summary>Runs read at a time (across tenants); the job goes on until none is left.</summary>
    public const int PageSize = 100;
}

public sealed partial class ExpireUnstartedImportsHandler(IDocumentStore store, IClock clock, ILogger<ExpireUnstartedImportsHandler> logger)
    : ICommandHandler<ExpireUnstartedImportsCommand>
{
    public async ValueTask<Unit> Handle(ExpireUnstartedImportsCommand command, CancellationToken cancellationToken)
    {
        var before = clock.UtcNow - ExpireUploads.KeptFor;
        var expired = 0;
        while (true)
        {
            await using var query = store.QuerySession();
            var page = await query.Query<ImportRun>()
                .Where(r => r.AnyTenant() && r.Status == ImportStatus.Uploaded && r.UploadedAt < before)
                .OrderBy(r => r.UploadedAt)
                .Take(ExpireUploads.PageSize)
                .ToListAsync(cancellationToken);
            foreach (var run in page)
            {
                var tenantId = (await query.MetadataForAsync(run, cancellationToken))!.TenantId;
                if (await ExpireAsync(tenantId, run.Id, cancellationToken))
                {
                    expired++;
                }
            }

            if (page.Count < ExpireUploads.PageSize)
            {
                break;
            }
        }

        if (expired > 0)
        {
            LogExpired(expired);
        }

        return Unit.Value;
    }

    /// <summary>In the run's own tenant, and only while it still waits (a run a day old is not being started in the same instant).</summary>
    private async Task<bool> ExpireAsync(string tenantId, Guid importId, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession(tenantId);
        if (await session.LoadAsync<ImportRun>(importId, cancellationToken) is not { Status: ImportStatus.Uploaded } run)
        {
            return false;
        }

        session.DeleteWhere<ImportChunk>(c => c.ImportId == importId);
        session.Store(run with { Status = ImportStatus.Expired, Chunks = 0, CompletedAt = clock.UtcNow });
        await session.SaveChangesAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the files of {Count} import(s) not started within a day of their upload")]
    private partial void LogExpired(int count);
}
