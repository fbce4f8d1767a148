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

    [Fact]
    public async Task Summaries_from_before_the_crm_push_get_their_push_status_from_the_json_and_waiting_where_it_has_none()
    {
        var connection = await app.ConnectCrmAsync("shop");
        var old = await app.AddSignUpAtAsync("shop", DateTimeOffset.UtcNow.AddDays(-300));
        var pushed = await app.AddSignUpAtAsync("shop", DateTimeOffset.UtcNow.AddHours(-2));
        var pushedAt = new DateTimeOffset(2027, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await app.PushedAsync("shop", pushed, connection, "r-1", pushedAt);
        await using (var connectionToDb = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await connectionToDb.OpenAsync();
            // As a row written before the columns existed: no column values, and the oldest without CrmStatus in its JSON.
            await using var forget = new NpgsqlCommand(
                $"update {SignUpSourceBackfill.SummaryTable} set crm_status = null, crm_updated_at = null, data = case when id = @old then data - 'CrmStatus' else data end",
                connectionToDb);
            forget.Parameters.AddWithValue("old", old);
            (await forget.ExecuteNonQueryAsync()).ShouldBe(2);
        }

        var waiting = new ListSignUpsQuery(Filter: new SignUpFilter(CrmStatus: CrmPushStatus.Waiting));
        var pushedFilter = new ListSignUpsQuery(Filter: new SignUpFilter(CrmStatus: CrmPushStatus.Pushed));
        (await app.SendAsync("shop", waiting)).Items.ShouldBeEmpty();
        (await app.SendAsync("shop", pushedFilter)).Items.ShouldBeEmpty();

        var backfill = app.Services.GetRequiredService<SignUpSourceBackfill>();
        (await backfill.RunEachAsync(default)).ShouldBe([0, 2]);

        (await app.SendAsync("shop", waiting)).Items.ShouldHaveSingleItem().Id.ShouldBe(old);
        (await app.SendAsync("shop", pushedFilter)).Items.ShouldHaveSingleItem().Id.ShouldBe(pushed);
        await using (var connectionToDb = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await connectionToDb.OpenAsync();
            await using var read = new NpgsqlCommand($"select crm_updated_at from {SignUpSourceBackfill.SummaryTable} where id = @pushed", connectionToDb);
            read.Parameters.AddWithValue("pushed", pushed);
            ((DateTime)(await read.ExecuteScalarAsync())!).ShouldBe(pushedAt.UtcDateTime);
        }

        (await backfill.RunAsync(default)).ShouldBe(0);
    }
}
