using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>
/// Failure-only places (the daemon's retries and error logs, dead letters, anything a failed
/// background step leaves) must not keep a shopper either: linking fails for real (PostgreSQL
/// refuses the write), the shopper is erased meanwhile, and the whole database is searched.
/// </summary>
public class ErasureAfterFailureTests(AppWithDaemon app) : IClassFixture<AppWithDaemon>
{
    [Fact]
    public async Task A_shopper_erased_while_their_sign_up_fails_to_link_leaves_no_trace_in_any_table()
    {
        await app.AddStoreAsync("failing");
        await app.SendAsync("failing", Quintessa(phone: null));
        await app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var contactId = (await app.SendAsync("failing", new FindShopperQuery(Email, null))).ShouldNotBeNull();

        // From now on the contact index refuses every write, so linking her next sign-up (which
        // brings a new phone number to index) fails each time the daemon tries.
        await ExecuteAsync(
            """
            create function pg_temp_refuse() returns trigger language plpgsql as $$ begin raise exception 'contact index unavailable'; end $$;
            create trigger refuse_index before insert or update on customerinfo.mt_doc_contactindexentry for each row execute function pg_temp_refuse();
            """);
        var failing = await app.SendAsync("failing", Quintessa());
        await WaitUntilAsync(async () => (await app.SendAsync("failing", new ListSignUpsQuery())).Items.Count == 2);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the daemon tries, fails, tries again
        (await app.SendAsync("failing", new ListSignUpsQuery())).Items.Single(s => s.Id == failing.SignUpId).ContactId.ShouldBeNull();

        var erased = await app.SendAsync("failing", new EraseShopperCommand(contactId, "platform-owner"));
        await ExecuteAsync("drop trigger refuse_index on customerinfo.mt_doc_contactindexentry; drop function pg_temp_refuse();");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the daemon goes on: the erased sign-up is not linked

        erased.SignUpIds.ShouldContain(failing.SignUpId);
        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Traces)).ShouldBeEmpty();
        (await app.SendAsync("failing", new FindShopperQuery(Email, Phone))).ShouldBeNull();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}
