using CustomerInfo.Application.Common.Tenancy;
using Marten;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// The scoped <see cref="IDocumentSession"/> and <see cref="IQuerySession"/> are always opened for
/// the current tenant. Without one there is no session: platform code that works across tenants
/// asks <see cref="IDocumentStore"/> for a session for a named tenant instead.
/// </summary>
internal sealed class TenantSessionFactory(IDocumentStore store, ITenantContext context) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(TenantId());

    public IDocumentSession OpenSession() => store.LightweightSession(TenantId());

    private string TenantId() => context.RequiredTenant.Id.ToString();
}
