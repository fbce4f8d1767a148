using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Shoppers.FindShopper;
using CustomerInfo.IntegrationTests.Contacts;
using CustomerInfo.TestSupport;
using JasperFx.Resources;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CustomerInfo.IntegrationTests.Shoppers.Shoppers;

namespace CustomerInfo.IntegrationTests.Shoppers;

/// <summary>Index entries stored before ADR 10 held the plain address; the migration step moves them to their hashed ids.</summary>
public class ContactIndexRekeyingTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private Guid store;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        store = await app.AddStoreAsync("demo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Resource_setup_moves_plain_index_entries_to_hashed_ids_and_the_shopper_is_still_found()
    {
        var (_, link) = await app.SignUpAndLinkAsync("demo", Quintessa());
        var contactId = link.ContactId!.Value;
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(store.ToString()))
        {
            // The index as the previous version wrote it.
            session.DeleteWhere<ContactIndexEntry>(e => e.ContactId == contactId);
            session.Store(new ContactIndexEntry("email:" + Email, contactId), new ContactIndexEntry("phone:" + Phone, contactId));
            await session.SaveChangesAsync();
        }

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Email)).ShouldContain(p => p.StartsWith("customerinfo.mt_doc_contactindexentry.id", StringComparison.Ordinal));

        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);
        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);

        (await DatabaseSearch.FindAsync(app.Database.ConnectionString, Email, Phone)).ShouldNotContain(p => p.Contains("contactindexentry", StringComparison.Ordinal));
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession(store.ToString()))
        {
            (await session.Query<ContactIndexEntry>().CountAsync()).ShouldBe(2);
        }

        (await app.SendAsync("demo", new FindShopperQuery(Email, null))).ShouldBe(contactId);
        (await app.SendAsync("demo", new FindShopperQuery(null, "06 12345678"))).ShouldBe(contactId);
        var (_, again) = await app.SignUpAndLinkAsync("demo", Quintessa());
        again.ContactId.ShouldBe(contactId);
    }
}
