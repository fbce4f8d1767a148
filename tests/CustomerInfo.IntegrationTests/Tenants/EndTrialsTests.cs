using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants.EndTrials;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Tenants;

public class EndTrialsTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Trials_past_their_deadline_end_once_and_the_others_are_left_alone()
    {
        var start = app.Clock.UtcNow;
        var due = (await app.SendAsync(new OnboardTenantCommand("due", "Due"))).TenantId;
        app.Clock.Advance(TimeSpan.FromDays(1));
        var later = (await app.SendAsync(new OnboardTenantCommand("later", "Later"))).TenantId;
        var active = (await app.SendAsync(new OnboardTenantCommand("active", "Active", NoTrial: true))).TenantId;
        var tenants = app.Services.GetRequiredService<ITenantStore>();
        app.Clock.UtcNow = start.AddDays(14);
        (await tenants.FindByIdentifierAsync("due", default))!.IsKioskOpenAt(app.Clock.UtcNow).ShouldBeFalse();

        await app.SendAsync(new EndTrialsCommand(), Actor.System("jobs"));
        await app.SendAsync(new EndTrialsCommand(), Actor.System("jobs"));

        (await tenants.FindByIdentifierAsync("due", default))!.Status.ShouldBe(TenantStatus.TrialEnded);
        (await tenants.FindByIdentifierAsync("later", default))!.Status.ShouldBe(TenantStatus.Trialing);
        (await tenants.FindByIdentifierAsync("active", default))!.Status.ShouldBe(TenantStatus.Active);
        (await EventsOfAsync(due)).Count(e => e is TenantTrialEnded).ShouldBe(1);
        (await EventsOfAsync(later)).ShouldNotContain(e => e is TenantTrialEnded);
        (await EventsOfAsync(active)).ShouldNotContain(e => e is TenantTrialEnded);

        app.Clock.Advance(TimeSpan.FromDays(1));
        await app.SendAsync(new EndTrialsCommand(), Actor.System("jobs"));
        (await tenants.FindByIdentifierAsync("later", default))!.Status.ShouldBe(TenantStatus.TrialEnded);
    }

    private async Task<IReadOnlyList<object>> EventsOfAsync(Guid tenantId)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenantId.ToString());
        return [.. (await session.Events.FetchStreamAsync(tenantId)).Select(e => e.Data)];
    }
}
