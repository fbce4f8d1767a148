using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Accounts.CheckSubdomain;

/// <summary>The sign-up page's live check as the retailer types. The sign-up itself checks again, and the unique index decides.</summary>
[Anyone]
public sealed record CheckSubdomainQuery(string? Subdomain) : IQuery<SubdomainCheck>;

public sealed record SubdomainCheck(bool Available, string Message, string? Subdomain);

public sealed class CheckSubdomainHandler(IDocumentStore store) : IQueryHandler<CheckSubdomainQuery, SubdomainCheck>
{
    public async ValueTask<SubdomainCheck> Handle(CheckSubdomainQuery query, CancellationToken cancellationToken)
    {
        if (!Subdomain.TryParse(query.Subdomain, out var subdomain, out var reason))
        {
            return new SubdomainCheck(false, reason!, null);
        }

        await using var session = store.QuerySession();
        var taken = await session.Query<Tenant>().AnyAsync(t => t.Identifier == subdomain.Value, cancellationToken);
        return taken
            ? new SubdomainCheck(false, OnboardTenantValidator.Taken, subdomain.Value)
            : new SubdomainCheck(true, "Available.", subdomain.Value);
    }
}
