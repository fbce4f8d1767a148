using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Erasure;

/// <summary>The latest erasures sent to the CRM, newest first, so a Manager sees which reached it and which they must finish by hand.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ListCrmErasuresQuery(int Count = 20) : IQuery<IReadOnlyList<CrmErasureRow>>;

/// <summary>
/// One erasure as the CRM page shows it: no personal data, only the CRM's record id where it gave one.
/// <see cref="CanRetry"/>: it failed, and a retry against the current connection could still reach the record.
/// </summary>
public sealed record CrmErasureRow(Guid ContactId, string Kind, string? RecordId, CrmErasureStatus Status, string? Reason, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, bool CanRetry = false)
{
    /// <summary>The reason in parts, for the page to word in the reader's language; null on requests stored before 2026-12-03.</summary>
    public Domain.SignUps.CrmProblem? Problem { get; init; }

    public static CrmErasureRow Of(CrmErasureRequest r, CrmConnection? connection) =>
        new(r.Id, r.Kind, r.RecordId, r.Status, r.Reason, r.RequestedAt, r.FinishedAt, CrmErasureRetry.CanRetry(r, connection)) { Problem = r.Problem };
}

public sealed class ListCrmErasuresHandler(IQuerySession session) : IQueryHandler<ListCrmErasuresQuery, IReadOnlyList<CrmErasureRow>>
{
    public async ValueTask<IReadOnlyList<CrmErasureRow>> Handle(ListCrmErasuresQuery query, CancellationToken cancellationToken)
    {
        var requests = await session.Query<CrmErasureRequest>()
            .OrderByDescending(r => r.RequestedAt)
            .Take(Math.Clamp(query.Count, 1, 100))
            .ToListAsync(cancellationToken);
        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        return [.. requests.Select(r => CrmErasureRow.Of(r, connection))];
    }
}
