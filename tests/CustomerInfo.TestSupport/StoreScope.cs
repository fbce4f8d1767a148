using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Infrastructure.Jobs;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>
/// Runs use cases inside one store, the way a request on its subdomain does: by default as one of
/// the store's Owners, or as the actor a test names.
/// </summary>
public static class StoreScope
{
    public static async Task<T> SendAsync<T>(this AppFactory app, string store, ICommand<T> command, Actor? actor = null)
    {
        AppFactory.RememberNames(command);
        await using var scope = await EnterAsync(app, store, actor ?? DefaultActorFor(command));
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public static async Task<T> SendAsync<T>(this AppFactory app, string store, IQuery<T> query, Actor? actor = null)
    {
        await using var scope = await EnterAsync(app, store, actor ?? DefaultActorFor(query));
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    /// <summary>The store's tenant as the app caches it, for calling services that take one.</summary>
    public static async Task<CustomerInfo.Domain.Tenants.Tenant> TenantAsync(this AppFactory app, string store)
    {
        await using var lookup = app.Services.CreateAsyncScope();
        return await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(store, default)
            ?? throw new InvalidOperationException($"No store '{store}'.");
    }

    /// <param name="actor">Who acts; null: an Owner of the store.</param>
    public static async Task<AsyncServiceScope> EnterAsync(AppFactory app, string store, Actor? actor = null)
    {
        Guid tenantId;
        await using (var lookup = app.Services.CreateAsyncScope())
        {
            tenantId = (await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(store, default)
                ?? throw new InvalidOperationException($"No store '{store}'.")).Id;
        }

        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        return await WorkScope.EnterTenantAsync(scopes, actor ?? OwnerOf(tenantId), tenantId, default)
            ?? throw new InvalidOperationException($"No store '{store}'.");
    }

    /// <summary>Work only the system may send (linking a sign-up) is sent as the system; the rest as an Owner.</summary>
    private static Actor? DefaultActorFor(object request) =>
        AccessRule.Of(request.GetType()) is { System: true, Anyone: false, Role: null, PlatformOwner: false } ? Actor.System("test") : null;

    public static Actor OwnerOf(Guid tenantId) => Actor.Member(tenantId, Guid.NewGuid(), TeamRole.Owner);
}
