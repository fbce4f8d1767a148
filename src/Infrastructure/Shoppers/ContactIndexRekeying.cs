using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Infrastructure.Persistence;
using JasperFx.CommandLine.Descriptions;
using JasperFx.Resources;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerInfo.Infrastructure.Shoppers;

/// <summary>
/// Moves contact-index entries stored before ADR 10, whose ids held the plain address or number
/// (<c>email:ann@example.com</c>, <c>phone:+31612345678</c>), to their keyed-hash ids. A hashed id
/// never holds '@' or '+' (base64url), so the old ones are told apart by their ids alone. Safe to
/// repeat; runs in the migration step, and at start-up where the schema is applied at start-up.
/// </summary>
public sealed class ContactIndexRekeying(IDocumentStore store, ContactIndexKeys keys, string connectionString)
{
    public static readonly string Table = $"{MartenConfiguration.SchemaName}.mt_doc_contactindexentry";

    /// <summary>How many entries were moved.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var plain = await PlainEntriesAsync(cancellationToken);
        foreach (var tenant in plain.GroupBy(p => p.TenantId, p => p.Id))
        {
            await using var session = store.LightweightSession(tenant.Key);
            foreach (var entry in await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, tenant.ToArray()))
            {
                session.Store(new ContactIndexEntry(keys.IdOf(Guid.Parse(tenant.Key), entry.Id), entry.ContactId));
                session.Delete<ContactIndexEntry>(entry.Id);
            }

            await session.SaveChangesAsync(cancellationToken);
        }

        return plain.Count;
    }

    private async Task<List<(string TenantId, string Id)>> PlainEntriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
        exists.Parameters.AddWithValue("table", Table);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return [];
        }

        await using var command = new NpgsqlCommand(
            $"select tenant_id, id from {Table} where (id like 'email:%' and position('@' in id) > 0) or id like 'phone:+%'", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetString(1)));
        }

        return found;
    }
}

/// <summary><c>resources setup</c> (the migration Job) moves the old index entries before a rollout.</summary>
internal sealed class ContactIndexRekeyingResource(IServiceProvider services) : StatefulResourceBase(
    "Data", "contact-index", new Uri("customerinfo://personal-data"), new Uri("postgresql://contact-index"))
{
    public override Task Setup(CancellationToken token) =>
        services.GetRequiredService<ContactIndexRekeying>().RunAsync(token);

    public override Task Check(CancellationToken token) => Task.CompletedTask;
}

internal sealed class ContactIndexRekeyingSystemPart(IServiceProvider services) : SystemPartBase("Personal data", new Uri("customerinfo://personal-data"))
{
    public override ValueTask<IReadOnlyList<IStatefulResource>> FindResources() =>
        ValueTask.FromResult<IReadOnlyList<IStatefulResource>>([new ContactIndexRekeyingResource(services)]);
}

/// <summary>Where the schema is applied at start-up (not Production), the old index entries are moved then too.</summary>
internal sealed class ContactIndexRekeyingAtStartup(ContactIndexRekeying rekeying) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => rekeying.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
