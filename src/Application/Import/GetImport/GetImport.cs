using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.GetImport;

/// <summary>
/// One import: its run, and while it waits to be started, a preview of its first rows read from the
/// stored file (the preview is never stored: the file is the one copy). Null when there is none.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record GetImportQuery(Guid ImportId, bool WithPreview = false) : IQuery<ImportView?>;

/// <param name="TimeZone">The retailer's time zone (<see cref="TenantTimeZone"/>), in which the page shows times.</param>
public sealed record ImportView(ImportRun Run, IReadOnlyList<IReadOnlyList<string?>> Preview, string TimeZone);

public sealed class GetImportHandler(IQuerySession session) : IQueryHandler<GetImportQuery, ImportView?>
{
    public async ValueTask<ImportView?> Handle(GetImportQuery query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ImportRun>(query.ImportId, cancellationToken) is not { } run)
        {
            return null;
        }

        var timeZone = (await TenantTimeZone.FindAsync(session, cancellationToken)).Id;
        if (!query.WithPreview || run.Status != ImportStatus.Uploaded)
        {
            return new ImportView(run, [], timeZone);
        }

        var preview = new List<IReadOnlyList<string?>>();
        await using var stream = new ImportChunkStream(session, run.Id, run.Chunks);
        await using var csv = ImportCsv.Open(stream, run.Encoding);
        while (preview.Count < ImportCsv.PreviewRows && await csv.ReadAsync(cancellationToken))
        {
            var cells = ImportCsv.Cells(csv, run.Headers.Count);
            if (!ImportCsv.IsBlank(cells))
            {
                preview.Add(cells);
            }
        }

        return new ImportView(run, preview, timeZone);
    }
}
