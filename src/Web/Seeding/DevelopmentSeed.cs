using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants.ChangeTenantStatus;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Tenancy;
using Marten;
using Mediator;

namespace CustomerInfo.Web.Seeding;

/// <summary>
/// In Development, a database without tenants gets the demo store, so a fresh checkout has
/// something to show at http://demo.localhost:8080.
/// </summary>
public sealed partial class DevelopmentSeed(IServiceScopeFactory scopes, ILogger<DevelopmentSeed> logger) : IHostedService
{
    public const string DemoIdentifier = "demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            if (await session.Query<Tenant>().AnyAsync(cancellationToken))
            {
                return;
            }
        }

        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var demo = await sender.Send(new OnboardTenantCommand(DemoIdentifier, "Demo Store"), cancellationToken);
        await sender.Send(new ChangeTenantStatusCommand(demo.TenantId, TenantStatus.Active), cancellationToken);
        var tenants = scope.ServiceProvider.GetRequiredService<ITenantStore>();
        tenants.Forget(DemoIdentifier);

        // The form is the store's own: publish it in a scope that belongs to the demo store.
        await using var storeScope = scopes.CreateAsyncScope();
        storeScope.ServiceProvider.GetRequiredService<TenantContext>().Set((await tenants.FindByIdentifierAsync(DemoIdentifier, cancellationToken))!);
        await storeScope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishFormDefinitionCommand(DemoForm.Definition), cancellationToken);
        LogSeeded(DemoIdentifier);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo store '{Identifier}'")]
    private partial void LogSeeded(string identifier);
}
