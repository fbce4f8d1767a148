using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.ListImports;

/// <summary>The store's imports, newest first (a store imports a handful of files; the last 50 are shown).</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ListImportsQuery : IQuery<IReadOnlyList<ImportRun>>;

public sealed class ListImportsHandler(IQuerySession session) : IQueryHandler<ListImportsQuery, IReadOnlyList<ImportRun>>
{
    public const int Shown = 50;

    public async ValueTask<IReadOnlyList<ImportRun>> Handle(ListImportsQuery query, CancellationToken cancellationToken) =>
        await session.Query<ImportRun>().OrderByDescending(r => r.UploadedAt).Take(Shown).ToListAsync(cancellationToken);
}
