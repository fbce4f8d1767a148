using CustomerInfo.Application.Team;
using CustomerInfo.Application.Team.ChangeMemberRole;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Accounts;

public class TeamChangeRaceTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_owners_demoting_each_other_at_the_same_moment_leave_the_team_with_an_owner()
    {
        for (var round = 0; round < 5; round++)
        {
            await app.ResetAsync();
            await app.AddStoreAsync("acme", "Acme Shoes");
            var ann = await app.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);
            var bob = await app.AddMemberAsync("acme", "bob@acme.test", TeamRole.Owner);

            var results = await Task.WhenAll(
                app.SendAsync("acme", new ChangeMemberRoleCommand(ann.Id, TeamRole.Staff)),
                app.SendAsync("acme", new ChangeMemberRoleCommand(bob.Id, TeamRole.Staff)));

            (await OwnersAsync()).ShouldBeGreaterThanOrEqualTo(1);
            results.Count(r => r.Done).ShouldBeLessThanOrEqualTo(1);
            results.Where(r => !r.Done).ShouldAllBe(r => r == TeamChangeResult.Conflict || r.Refusal == TeamRules.LastOwnerRefusal);
        }
    }

    private async Task<int> OwnersAsync()
    {
        await using var scope = await StoreScope.EnterAsync(app, "acme");
        return await scope.ServiceProvider.GetRequiredService<IQuerySession>().Query<TeamMember>().CountAsync(m => m.Role == TeamRole.Owner);
    }
}
