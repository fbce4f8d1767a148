using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// The one way work outside a web request begins: a service scope with its actor and, for a
/// store's work, its tenant set, as the web pipeline sets them for a request.
/// </summary>
public static class WorkScope
{
    public static AsyncServiceScope Enter(IServiceScopeFactory scopes, Actor actor, Tenant? tenant = null)
    {
        var scope = scopes.CreateAsyncScope();
        if (tenant is not null)
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        }

        scope.ServiceProvider.GetRequiredService<ActorContext>().Set(actor);
        return scope;
    }

    /// <summary>Enters the scope of the tenant with <paramref name="tenantId"/>; null when there is no such tenant.</summary>
    public static async Task<AsyncServiceScope?> EnterTenantAsync(IServiceScopeFactory scopes, Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        var scope = Enter(scopes, actor);
        var tenant = await scope.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdAsync(tenantId, cancellationToken);
        if (tenant is null)
        {
            await scope.DisposeAsync();
            return null;
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        return scope;
    }
}
