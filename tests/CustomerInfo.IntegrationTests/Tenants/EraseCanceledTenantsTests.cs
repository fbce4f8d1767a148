using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.EraseCanceledTenants;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Tenants;

/// <summary>The app with a clock and a record of the jobs it enqueues.</summary>
public sealed class ErasureAppFactory : ClockedAppFactory
{
    public RecordingBackgroundJobs Jobs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.RemoveAll<IBackgroundJobs>();
        services.AddSingleton<IBackgroundJobs>(Jobs);
    }
}

public class EraseCanceledTenantsTests(ErasureAppFactory app) : IClassFixture<ErasureAppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Jobs.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task CancelAsync(Guid tenantId)
    {
        var facts = app.Services.GetRequiredService<TenantFacts>();
        await facts.RecordAsync(tenantId, new TenantFact.SubscriptionActive("sub_" + tenantId.ToString("N"), "store", app.Clock.UtcNow), default);
        (await facts.RecordAsync(tenantId, new TenantFact.SubscriptionDeleted("sub_" + tenantId.ToString("N"), app.Clock.UtcNow), default)).Outcome.ShouldBe(TenantChangeOutcome.Changed);
    }

    /// <summary>What Hangfire would do: the recurring job, then each job it enqueued, through the real job entry point.</summary>
    private async Task RunJobAsync()
    {
        app.Jobs.Clear();
        await app.SendAsync(new EraseCanceledTenantsCommand(), Actor.System("jobs"));
        var job = new MediatorJob(app.Services.GetRequiredService<IServiceScopeFactory>());
        foreach (var (command, _) in app.Jobs.Enqueued)
        {
            await job.RunAsync((EraseTenantDataCommand)command, default);
        }
    }

    [Fact]
    public async Task A_canceled_tenant_s_shoppers_are_erased_once_its_read_only_days_passed_and_others_stay()
    {
        var gone = await app.AddStoreAsync("gone");
        await app.AddStoreAsync("other");
        await app.SignUpAndLinkAsync("gone", Quintessa());
        await app.SignUpAndLinkAsync("gone", Bartholomeus());
        await app.SignUpAndLinkAsync("other", Bartholomeus());
        await CancelAsync(gone);

        app.Clock.Advance(TimeSpan.FromDays(29));
        await RunJobAsync();
        app.Jobs.Enqueued.ShouldBeEmpty("still read-only: the Owner may export");
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty();

        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();

        app.Jobs.Enqueued.Select(j => j.Command).ShouldBe([new EraseTenantDataCommand(gone)]);
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, OtherEmail)).ShouldNotBeEmpty("the other store's shopper stays");
        var tenant = await app.TenantAsync("gone");
        tenant.DataErasedAt.ShouldBe(app.Clock.UtcNow);

        // Again: the tenant is not due any more, and its erasure run once more erases and records nothing.
        await RunJobAsync();
        app.Jobs.Enqueued.ShouldBeEmpty();
        await new MediatorJob(app.Services.GetRequiredService<IServiceScopeFactory>()).RunAsync(new EraseTenantDataCommand(gone), default);
        await using var session = app.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession(gone.ToString());
        (await session.Events.FetchStreamAsync(gone)).Count(e => e.Data is TenantDataErased).ShouldBe(1);
        (await session.Events.FetchStreamAsync(gone)).Select(e => e.Data).OfType<TenantDataErased>().Single().ContactsErased.ShouldBe(2);
    }

    [Fact]
    public async Task A_tenant_that_subscribed_again_keeps_its_data()
    {
        var back = await app.AddStoreAsync("back");
        await app.SignUpAndLinkAsync("back", Quintessa());
        await CancelAsync(back);
        app.Clock.Advance(TimeSpan.FromDays(31));
        await app.Services.GetRequiredService<TenantFacts>().RecordAsync(back, new TenantFact.SubscriptionActive("sub_new", "store", app.Clock.UtcNow), default);

        await RunJobAsync();
        await new MediatorJob(app.Services.GetRequiredService<IServiceScopeFactory>()).RunAsync(new EraseTenantDataCommand(back), default);

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty();
        (await app.TenantAsync("back")).DataErasedAt.ShouldBeNull();
    }
}
