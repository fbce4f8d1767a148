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

    /// <summary>
    /// The one line of every job and subscription: in a scope of the tenant with <paramref name="tenantId"/>,
    /// as <paramref name="actor"/>, send <paramref name="command"/>. False when the tenant no longer
    /// exists (its work is gone with it, so nothing is sent and nothing retries).
    /// </summary>
    public static Task<bool> SendForTenantAsync(IServiceScopeFactory scopes, Actor actor, Guid tenantId, Mediator.ICommand command, CancellationToken cancellationToken) =>
        RunForTenantAsync(scopes, actor, tenantId, async provider => await provider.GetRequiredService<Mediator.ISender>().Send(command, cancellationToken), cancellationToken);

    /// <summary>Like <see cref="SendForTenantAsync"/>, for work of more than one step in the tenant's scope.</summary>
    public static async Task<bool> RunForTenantAsync(IServiceScopeFactory scopes, Actor actor, Guid tenantId, Func<IServiceProvider, Task> work, CancellationToken cancellationToken)
    {
        await using var entered = await EnterTenantAsync(scopes, actor, tenantId, cancellationToken);
        if (entered is not { } scope)
        {
            return false;
        }

        await work(scope.ServiceProvider);
        return true;
    }
}
