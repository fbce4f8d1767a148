using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.ListImports;

/// <summary>The store's imports, newest first (a store imports a handful of files; the last 50 are shown).</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ListImportsQuery : IQuery<ImportList>;

/// <param name="TimeZone">The retailer's time zone (<see cref="TenantTimeZone"/>), in which the page shows times.</param>
public sealed record ImportList(IReadOnlyList<ImportRun> Runs, string TimeZone);

public sealed class ListImportsHandler(IQuerySession session) : IQueryHandler<ListImportsQuery, ImportList>
{
    public const int Shown = 50;

    public async ValueTask<ImportList> Handle(ListImportsQuery query, CancellationToken cancellationToken)
    {
        var runs = await session.Query<ImportRun>().OrderByDescending(r => r.UploadedAt).Take(Shown).ToListAsync(cancellationToken);
        return new ImportList(runs, (await TenantTimeZone.FindAsync(session, cancellationToken)).Id);
    }
}
