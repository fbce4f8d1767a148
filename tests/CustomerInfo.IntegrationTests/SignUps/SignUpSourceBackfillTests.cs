using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.SignUps;
using CustomerInfo.IntegrationTests.Shoppers;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CustomerInfo.IntegrationTests.SignUps;

/// <summary>Summaries stored before imports existed get their source in the migration step, so the list's kiosk filter finds them.</summary>
public class SignUpSourceBackfillTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.AddStoreAsync("shop");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_summary_from_before_imports_is_found_by_the_kiosk_filter_once_backfilled_and_a_second_run_changes_nothing()
    {
        await app.SendAsync("shop", Shoppers.Shoppers.Quintessa(), Actor.Anonymous);
        await using (var connection = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand($"update {SignUpSourceBackfill.SummaryTable} set source = null", connection);
            (await forget.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var kiosk = new ListSignUpsQuery(Filter: new SignUpFilter(Source: SignUpSource.Kiosk));
        (await app.SendAsync("shop", kiosk)).Items.ShouldBeEmpty();

        var backfill = app.Services.GetRequiredService<SignUpSourceBackfill>();
        (await backfill.RunAsync(default)).ShouldBe(1);

        (await app.SendAsync("shop", kiosk)).Items.ShouldHaveSingleItem();
        (await app.SendAsync("shop", new ListSignUpsQuery(Filter: new SignUpFilter(Source: SignUpSource.Import)))).Items.ShouldBeEmpty();
        (await backfill.RunAsync(default)).ShouldBe(0);
    }
}
