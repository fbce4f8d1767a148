using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.ListSignUps;

/// <summary>
/// The store's sign-ups, newest first, a page at a time. Keyset paging: <see cref="Before"/> is the
/// <see cref="SignUpPage.Next"/> of the previous page, so deep pages cost what the first one does.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record ListSignUpsQuery(SignUpCursor? Before = null, int PageSize = 50) : IQuery<SignUpPage>;

public sealed record SignUpCursor(DateTimeOffset ReceivedAt, Guid Id);

public sealed record SignUpPage(IReadOnlyList<SignUpSummary> Items, SignUpCursor? Next);

public sealed class ListSignUpsHandler(IQuerySession session) : IQueryHandler<ListSignUpsQuery, SignUpPage>
{
    public const int MaxPageSize = 200;

    public async ValueTask<SignUpPage> Handle(ListSignUpsQuery query, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var rows = session.Query<SignUpSummary>().AsQueryable();
        if (query.Before is { } before)
        {
            rows = rows.Where(s => s.ReceivedAt < before.ReceivedAt || (s.ReceivedAt == before.ReceivedAt && s.Id.CompareTo(before.Id) < 0));
        }

        var items = await rows.OrderByDescending(s => s.ReceivedAt).ThenByDescending(s => s.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = items.Count > size ? new SignUpCursor(items[size - 1].ReceivedAt, items[size - 1].Id) : null;
        return new SignUpPage(items.Take(size).ToList(), next);
    }
}
