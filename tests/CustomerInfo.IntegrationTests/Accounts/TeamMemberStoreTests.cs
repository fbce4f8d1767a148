using CustomerInfo.Domain.Accounts;
using CustomerInfo.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Accounts;

/// <summary>Identity's UserManager over our Marten store, against PostgreSQL: what sign-in, lockout and the team rely on.</summary>
public class TeamMemberStoreTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("acme", "Acme Shoes");
        await app.AddStoreAsync("bravo", "Bravo Books");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_account_is_found_by_its_address_in_any_case_only_in_its_own_store()
    {
        var ann = await app.AddMemberAsync("acme", "Ann@Acme.test", TeamRole.Manager);

        await using (var acme = await StoreScope.EnterAsync(app, "acme"))
        {
            var users = acme.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
            (await users.FindByEmailAsync("ANN@acme.TEST")).ShouldNotBeNull().Id.ShouldBe(ann.Id);
            (await users.FindByIdAsync(ann.Id.ToString())).ShouldNotBeNull().Role.ShouldBe(TeamRole.Manager);
            (await users.CheckPasswordAsync(ann, Members.Password)).ShouldBeTrue();
            (await users.CheckPasswordAsync(ann, "not the passphrase")).ShouldBeFalse();
        }

        await using var bravo = await StoreScope.EnterAsync(app, "bravo");
        var bravoUsers = bravo.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        (await bravoUsers.FindByEmailAsync("ann@acme.test")).ShouldBeNull();
        (await bravoUsers.FindByIdAsync(ann.Id.ToString())).ShouldBeNull();
    }

    [Fact]
    public async Task One_address_is_unique_within_a_store_and_free_in_another()
    {
        await app.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);
        await app.AddMemberAsync("bravo", "ann@acme.test", TeamRole.Staff);

        await using var acme = await StoreScope.EnterAsync(app, "acme");
        var users = acme.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var twin = new TeamMember { Id = Guid.NewGuid(), Email = "ANN@acme.test", SecurityStamp = "s", Role = TeamRole.Staff };
        var result = await users.CreateAsync(twin, "another long passphrase");

        result.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task Failures_lock_the_account_in_the_database_and_a_success_clears_the_count()
    {
        var ann = await app.AddMemberAsync("acme", "ann@acme.test", TeamRole.Owner);

        await using (var first = await StoreScope.EnterAsync(app, "acme"))
        {
            var users = first.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
            var member = (await users.FindByIdAsync(ann.Id.ToString()))!;
            await users.AccessFailedAsync(member);
            await users.ResetAccessFailedCountAsync(member);
            for (var i = 0; i < 5; i++)
            {
                await users.AccessFailedAsync(member);
            }
        }

        await using var later = await StoreScope.EnterAsync(app, "acme");
        var again = later.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var stored = (await again.FindByIdAsync(ann.Id.ToString()))!;
        (await again.IsLockedOutAsync(stored)).ShouldBeTrue();
        stored.LockoutEnd.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(4));
    }

    [Fact]
    public async Task The_password_validators_are_our_policy_alone()
    {
        await using var acme = await StoreScope.EnterAsync(app, "acme");
        var users = acme.ServiceProvider.GetRequiredService<UserManager<TeamMember>>();
        var member = new TeamMember { Id = Guid.NewGuid(), Email = "new@acme.test", SecurityStamp = "s" };

        (await users.PasswordValidators.Single().ValidateAsync(users, member, "lowercase only words")).Succeeded.ShouldBeTrue();
        (await users.PasswordValidators.Single().ValidateAsync(users, member, "basketball")).Errors.Single().Description.ShouldContain("most common");
    }
}
