using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.ListContacts;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CustomerInfo.IntegrationTests.Contacts.ContactSignUps;

namespace CustomerInfo.IntegrationTests.Contacts;

/// <summary>The contact list: newest sign-up first, a page at a time by keyset, and its search.</summary>
public class ListContactsTests(ClockedAppFactory app) : IClassFixture<ClockedAppFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        foreach (var store in new[] { "demo", "other" })
        {
            await app.AddStoreAsync(store, store + " store");
            await app.SendAsync(store, new PublishFormDefinitionCommand(FormDefinition.StarterFor(store) with
            {
                Fields =
                [
                    new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.LastName, FieldRequirement.Optional),
                    new(BuiltInField.Email, FieldRequirement.Optional), new(BuiltInField.Phone, FieldRequirement.Optional),
                ],
            }));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> SignUpAsync(string store, string? email, string? phone = null, string firstName = "Ann", string? lastName = null)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return (await app.SignUpAndLinkAsync(store, SignUp(email, phone, firstName, lastName))).Link.ContactId!.Value;
    }

    private Task<ContactPage> ListAsync(string? search = null, string? after = null, int size = 50, string store = "demo") =>
        app.SendAsync(store, new ListContactsQuery(search, after, size));

    [Fact]
    public async Task Pages_follow_each_other_newest_first_without_gaps_or_repeats()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SignUpAsync("demo", $"shopper{i}@example.com", firstName: $"Shopper{i}"));
        }

        // An older contact signs up again: it is the newest now.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.SignUpAndLinkAsync("demo", SignUp("shopper1@example.com", null, "Shopper1"));
        await SignUpAsync("other", "elsewhere@example.com");

        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(after: after, size: 2);
            page.Items.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Items.Select(c => c.Id));
            after = page.Next;
            pages++;
        }
        while (after is not null && pages < 10);

        pages.ShouldBe(3);
        seen.ShouldBe([ids[1], ids[4], ids[3], ids[2], ids[0]]);
    }

    [Fact]
    public async Task An_email_or_phone_finds_its_contact_exactly_as_the_kiosk_keeps_it()
    {
        var ann = await SignUpAsync("demo", "Ann.Jansen@Example.com", "0612345678", "Ann", "Jansen");
        await SignUpAsync("demo", "annie@example.com", firstName: "Annie");
        var elsewhere = await SignUpAsync("other", "ann.jansen@example.com", firstName: "Ann");

        (await ListAsync(" ann.jansen@EXAMPLE.com ")).Items.Select(c => c.Id).ShouldBe([ann]);
        (await ListAsync("ann.jansen@example.com", store: "other")).Items.Select(c => c.Id).ShouldBe([elsewhere]);
        var byPhone = await ListAsync("06 1234 5678");
        byPhone.SearchedBy.ShouldBe(ContactSearchKind.Phone);
        byPhone.Items.Select(c => c.Id).ShouldBe([ann]);
        (await ListAsync("+31612345678")).Items.Select(c => c.Id).ShouldBe([ann]);
        (await ListAsync("ann.jansen@example")).Items.ShouldBeEmpty(); // no prefix match on addresses
        (await ListAsync("nobody@example.com")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_name_search_finds_first_and_last_names_by_their_start_and_takes_wildcards_literally()
    {
        var ann = await SignUpAsync("demo", "a@example.com", firstName: "Ann", lastName: "de Vries");
        var annie = await SignUpAsync("demo", "b@example.com", firstName: "Annie", lastName: "Bakker");
        var zoe = await SignUpAsync("demo", "c@example.com", firstName: "Zoë", lastName: "Annink");
        await SignUpAsync("demo", "d@example.com", firstName: "Bob", lastName: "Jo_nes");
        await SignUpAsync("other", "e@example.com", firstName: "Anneke");

        var page = await ListAsync("ANN");
        page.SearchedBy.ShouldBe(ContactSearchKind.Name);
        page.Items.Select(c => c.Id).ShouldBe([zoe, annie, ann]);
        (await ListAsync("ann de")).Items.Select(c => c.Id).ShouldBe([ann]);
        (await ListAsync("de vr")).Items.Select(c => c.Id).ShouldBe([ann]);
        (await ListAsync("zoë")).Items.Select(c => c.Id).ShouldBe([zoe]);
        (await ListAsync("%")).Items.ShouldBeEmpty();
        (await ListAsync("jo_")).Items.Count.ShouldBe(1);
        (await ListAsync("jox")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_merged_contact_is_listed_once_and_any_of_its_addresses_finds_the_survivor()
    {
        var byEmail = await SignUpAsync("demo", "ann@example.com", firstName: "Ann");
        var byPhone = await SignUpAsync("demo", null, "0612345678", firstName: "Annie");
        await app.SignUpAndLinkAsync("demo", SignUp("ann@example.com", "0612345678", "Anna"));

        (await ListAsync()).Items.Select(c => c.Id).ShouldBe([byEmail]);
        (await ListAsync("0612345678")).Items.Select(c => c.Id).ShouldBe([byEmail]);
        byPhone.ShouldNotBe(byEmail);
    }

    [Fact]
    public async Task A_tampered_cursor_is_refused_by_the_validator()
    {
        var valid = new ContactCursor(DateTimeOffset.UtcNow, Guid.NewGuid()).Encode();
        foreach (var after in new[] { "garbage", valid[..^2], new string('A', 10_000), "Yzl8MXwy" })
        {
            var error = await Should.ThrowAsync<FluentValidation.ValidationException>(() => ListAsync(after: after));
            error.Errors.ShouldContain(e => e.ErrorMessage == "This page of the list no longer exists. Start again from the first page.");
        }

        await Should.ThrowAsync<FluentValidation.ValidationException>(() => ListAsync(new string('a', 10_000)));
    }

    [Fact]
    public async Task The_list_and_the_name_search_are_answered_from_indexes_that_lead_with_the_tenant()
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var tenants = app.Services.GetRequiredService<CustomerInfo.Application.Common.Tenancy.ITenantStore>();
        var demo = (await tenants.FindByIdentifierAsync("demo", default))!.Id.ToString();
        var other = (await tenants.FindByIdentifierAsync("other", default))!.Id.ToString();
        var start = DateTimeOffset.UtcNow.AddYears(-1);
        foreach (var tenant in new[] { demo, other })
        {
            var contacts = Enumerable.Range(0, 5000).Select(i => new ContactSummary
            {
                Id = Guid.NewGuid(),
                Shopper = new Shopper($"First{i % 977}", $"Last{i % 613}", null, null, null, null),
                LastSignedUpAt = start.AddMinutes(i),
                FirstSignedUpAt = start.AddMinutes(i),
            }).ToList();
            await store.BulkInsertAsync(tenant, contacts);
        }

        await using var session = store.QuerySession(demo);
        await ExecuteAsync("analyze customerinfo.mt_doc_contactsummary");
        var after = DateTimeOffset.UtcNow;
        var list = session.Query<ContactSummary>().Where(c => c.MergedInto == null)
            .Where(c => c.LastSignedUpAt <= after)
            .Where(c => c.LastSignedUpAt < after || (c.LastSignedUpAt == after && c.Id.CompareTo(Guid.Empty) < 0))
            .OrderByDescending(c => c.LastSignedUpAt).ThenByDescending(c => c.Id).Take(51).ToCommand();
        var plan = await ExplainAsync(list);
        plan.ShouldContain("Index Scan Backward using mt_doc_contactsummary_idx_last_signed_up_at", customMessage: plan);
        plan.ShouldNotContain("Sort", customMessage: plan);
        plan.ShouldContain("last_signed_up_at <=", customMessage: plan); // the page starts at the cursor, whatever its depth

        var pattern = ContactSearch.PrefixPattern("first12");
        var names = session.Query<ContactSummary>().Where(c => c.MergedInto == null)
            .Where(c => Marten.Linq.MatchesSql.MatchesSqlExtensions.MatchesSql(c, "(d.name_key COLLATE \"C\" LIKE ? OR d.last_name_key COLLATE \"C\" LIKE ?)", pattern, pattern))
            .OrderByDescending(c => c.LastSignedUpAt).ThenByDescending(c => c.Id).Take(51).ToCommand();
        var namePlan = await ExplainAsync(names);
        namePlan.ShouldContain("mt_doc_contactsummary_idx_name_key", customMessage: namePlan);
        namePlan.ShouldContain("mt_doc_contactsummary_idx_last_name_key", customMessage: namePlan);
        namePlan.ShouldNotContain("Seq Scan", customMessage: namePlan);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_contact_indexes_as_configured_are_the_ones_in_the_database()
    {
        var migration = await app.Services.GetRequiredService<IDocumentStore>().Storage.Database.CreateMigrationAsync();
        migration.Difference.ShouldBe(Weasel.Core.SchemaPatchDifference.None);
    }

    /// <summary>The plan PostgreSQL chooses for the query, with its parameters.</summary>
    private async Task<string> ExplainAsync(NpgsqlCommand query)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("explain " + query.CommandText, connection);
        foreach (NpgsqlParameter parameter in query.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        var plan = string.Join('\n', lines);
        plan.ShouldContain("tenant_id", customMessage: plan);
        return plan;
    }
}
