using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Tenants.ListTenants;

/// <summary>Every store on the platform, newest first, for the owner console.</summary>
[PlatformOwnerOnly]
public sealed record ListTenantsQuery : IQuery<IReadOnlyList<Tenant>>;

public sealed class ListTenantsHandler(IDocumentStore store) : IQueryHandler<ListTenantsQuery, IReadOnlyList<Tenant>>
{
    public async ValueTask<IReadOnlyList<Tenant>> Handle(ListTenantsQuery query, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Query<Tenant>().OrderByDescending(t => t.OnboardedAt).ToListAsync(cancellationToken);
    }
}
