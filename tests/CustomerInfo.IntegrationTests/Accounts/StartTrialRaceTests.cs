using CustomerInfo.Application.Accounts.StartTrial;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Accounts;

public class StartTrialRaceTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Retailers_claiming_one_subdomain_at_the_same_moment_leave_one_store_one_account_and_one_mail()
    {
        const int claimants = 6;
        var attempts = Enumerable.Range(0, claimants).Select(async i =>
        {
            try
            {
                await app.SendAsync(new StartTrialCommand($"Claimant {i}", "contested", $"founder{i}@claim.test", "a long enough passphrase"), Actor.Anonymous);
                return "won";
            }
            catch (ValidationException taken) when (taken.Errors.Single().ErrorMessage.StartsWith("That subdomain is taken", StringComparison.Ordinal))
            {
                return "taken";
            }
        });

        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o == "won").ShouldBe(1);
        outcomes.Count(o => o == "taken").ShouldBe(claimants - 1);
        await using var global = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var tenant = (await global.Query<Tenant>().ToListAsync()).ShouldHaveSingleItem();
        (await global.Query<QueuedMail>().CountAsync()).ShouldBe(1);
        (await global.Query<TeamMember>().Where(m => m.AnyTenant()).CountAsync()).ShouldBe(1);
        await using var own = app.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant.Id.ToString());
        (await own.Query<TeamMember>().SingleAsync()).Role.ShouldBe(TeamRole.Owner);
    }
}
