using CustomerInfo.Domain.Tenants;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CustomerInfo.Application.Tenants;

/// <summary>
/// Folds a tenant's stream with the domain's <see cref="TenantLifecycle.Evolve"/>, for
/// <c>FetchForWriting</c> and rebuilds. Registered live, not inline: Marten 9 will not project
/// conjoined events into the global tenant document inline, and its global projection would move
/// the stream out of the tenant (ADR 12). <see cref="TenantFacts"/> stores the document instead.
/// </summary>
public sealed partial class TenantProjection : SingleStreamProjection<Tenant, Guid>
{
    public override Tenant? Evolve(Tenant? snapshot, Guid id, IEvent e) => TenantLifecycle.Evolve(snapshot, e.Data);
}
