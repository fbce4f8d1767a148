using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Shoppers.Retention;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.IntegrationTests.Tenants;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>Shoppers past the store's retention are erased by the daily job, per contact (issue 14 §6).</summary>
public class RetentionTests(ErasureAppFactory app) : IClassFixture<ErasureAppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Jobs.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>What Hangfire would do: the daily job, then each job it enqueued, through the real job entry point.</summary>
    private async Task<IReadOnlyList<object>> RunDailyJobAsync()
    {
        app.Jobs.Clear();
        await app.SendAsync(new ApplyRetentionCommand(), Actor.System("jobs"));
        var queued = app.Jobs.Enqueued.Select(j => j.Command).ToList();
        var job = new MediatorJob(app.Services.GetRequiredService<IServiceScopeFactory>());
        foreach (var command in queued)
        {
            await job.RunAsync((EraseExpiredShoppersCommand)command, default);
        }

        return queued;
    }

    [Fact]
    public async Task A_shopper_whose_latest_sign_up_is_over_two_years_old_is_erased_and_a_newer_one_stays()
    {
        var store = await app.AddStoreAsync("keeps");
        await app.SignUpAndLinkAsync("keeps", Quintessa());
        app.Clock.Advance(TimeSpan.FromDays(365));
        await app.SignUpAndLinkAsync("keeps", Bartholomeus());

        app.Clock.Advance(TimeSpan.FromDays(364));
        (await RunDailyJobAsync()).ShouldBe([new EraseExpiredShoppersCommand(store)]);
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty("not two years yet");

        // 2027-03-01 plus 732 days is 2029-03-02 (2028 is a leap year): a day past the two years.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await RunDailyJobAsync();

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, OtherEmail)).ShouldNotBeEmpty("signed up a year later");
    }

    [Fact]
    public async Task A_shopper_who_signed_up_again_counts_from_the_latest_sign_up()
    {
        await app.AddStoreAsync("returns");
        await app.SignUpAndLinkAsync("returns", Quintessa());
        app.Clock.Advance(TimeSpan.FromDays(600));
        await app.SignUpAndLinkAsync("returns", Quintessa());

        app.Clock.Advance(TimeSpan.FromDays(200));
        await RunDailyJobAsync();

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty("her latest sign-up is 200 days old");
    }

    [Fact]
    public async Task A_store_that_keeps_shoppers_until_erased_is_not_even_checked_and_a_shorter_choice_applies_at_once()
    {
        var store = await app.AddStoreAsync("forever");
        await app.SignUpAndLinkAsync("forever", Quintessa());
        (await app.SendAsync("forever", new SetRetentionCommand(null), StoreScope.OwnerOf(store))).Outcome.ShouldBe(TenantChangeOutcome.Changed);
        app.Clock.Advance(TimeSpan.FromDays(5 * 365));

        (await RunDailyJobAsync()).ShouldBeEmpty();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldNotBeEmpty();

        await app.SendAsync("forever", new SetRetentionCommand(12), StoreScope.OwnerOf(store));
        await RunDailyJobAsync();
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty();
        (await app.TenantAsync("forever")).RetentionMonths.ShouldBe(12);
    }

    [Fact]
    public async Task Only_an_owner_chooses_and_only_among_the_offered_choices()
    {
        var store = await app.AddStoreAsync("rules");

        await Should.ThrowAsync<FluentValidation.ValidationException>(() => app.SendAsync("rules", new SetRetentionCommand(7), StoreScope.OwnerOf(store)));
        await Should.ThrowAsync<AccessDeniedException>(() => app.SendAsync("rules", new SetRetentionCommand(12), Actor.Member(store, Guid.NewGuid(), CustomerInfo.Domain.Accounts.TeamRole.Manager)));
        (await app.TenantAsync("rules")).RetentionMonths.ShouldBe(24);
    }
}
