using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Infrastructure.Tenancy;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>Runs use cases inside one store, the way a request on its subdomain does.</summary>
public static class StoreScope
{
    public static async Task<T> SendAsync<T>(this AppFactory app, string store, ICommand<T> command)
    {
        AppFactory.RememberNames(command);
        await using var scope = await EnterAsync(app, store);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public static async Task<T> SendAsync<T>(this AppFactory app, string store, IQuery<T> query)
    {
        await using var scope = await EnterAsync(app, store);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    public static async Task<AsyncServiceScope> EnterAsync(AppFactory app, string store)
    {
        var scope = app.Services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(store, default)
            ?? throw new InvalidOperationException($"No store '{store}'.");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        return scope;
    }
}
