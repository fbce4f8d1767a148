using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Infrastructure.Persistence;
using JasperFx.CommandLine.Descriptions;
using JasperFx.Resources;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerInfo.Infrastructure.Stores;

/// <summary>
/// Makes the form locations stored before stores existed (<c>FormDefinition.Locations</c>) into
/// stores: each location without a store of its key becomes one (its time zone from the form's
/// country) with one kiosk link, and each sign-up made under that key is attributed to it. Safe to
/// repeat: a store remembers its location's key, an attributed sign-up has its store. Runs in the
/// migration step, and at start-up where the schema is applied at start-up.
/// </summary>
public sealed class StoreLocationMigration(IDocumentStore store, ITenantChanges changes, IClock clock, string connectionString)
{
    public static readonly string FormTable = $"{MartenConfiguration.SchemaName}.mt_doc_formdefinition";

    /// <summary>Sign-ups attributed per transaction, so a large tenant is not one huge commit.</summary>
    public const int BatchSize = 500;

    public sealed record Outcome(int StoresAdded, int SignUpsAttributed);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var added = 0;
        var attributed = 0;
        foreach (var tenantId in await TenantsWithAFormAsync(cancellationToken))
        {
            var (stores, signUps) = await MigrateTenantAsync(tenantId, cancellationToken);
            added += stores;
            attributed += signUps;
        }

        return new Outcome(added, attributed);
    }

    /// <summary>The store's time zone from the form's country: the countries of our retailers, else the default.</summary>
    public static string TimeZoneFor(string? country) => country?.ToUpperInvariant() switch
    {
        "NL" => "Europe/Amsterdam",
        "BE" => "Europe/Brussels",
        "DE" => "Europe/Berlin",
        _ => StoreTimeZones.Default,
    };

    /// <summary>A store name from a location's: within the limit, and unlike the names already taken.</summary>
    public static string NameFor(StoreLocation location, IEnumerable<string> taken)
    {
        var name = string.IsNullOrWhiteSpace(location.Name) ? location.Key : location.Name.Trim();
        name = name.Length > StoreRules.NameMaxLength ? name[..StoreRules.NameMaxLength].TrimEnd() : name;
        var names = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!names.Contains(name))
        {
            return name;
        }

        var suffix = $" ({location.Key})";
        return name[..Math.Min(name.Length, StoreRules.NameMaxLength - suffix.Length)].TrimEnd() + suffix;
    }

    private async Task<(int Stores, int SignUps)> MigrateTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        Dictionary<string, Guid> storeOf;
        var added = 0;
        await using (var session = store.LightweightSession(tenantId))
        {
            var form = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken);
            if (form is null || form.Locations.Count == 0)
            {
                return (0, 0);
            }

            var existing = await session.Query<RetailStore>().ToListAsync(cancellationToken);
            storeOf = existing.Where(s => s.LegacyLocationKey is not null)
                .GroupBy(s => s.LegacyLocationKey!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(s => s.AddedAt).First().Id, StringComparer.Ordinal);
            var names = existing.Select(s => s.Name).ToList();
            var now = clock.UtcNow;
            foreach (var location in form.Locations.Where(l => !storeOf.ContainsKey(l.Key)).DistinctBy(l => l.Key))
            {
                var storeId = Guid.NewGuid();
                var name = NameFor(location, names);
                names.Add(name);
                session.Events.StartStream<RetailStore>(
                    storeId,
                    new StoreAdded(storeId, name, TimeZoneFor(form.Country), null, now, location.Key),
                    new KioskLinkIssued(storeId, Guid.NewGuid(), Token: KioskTokens.New(), Label: "Tablet 1", IssuedAt: now));
                storeOf[location.Key] = storeId;
                added++;
            }

            if (added > 0)
            {
                changes.Announce(session, Guid.Parse(tenantId));
                await session.SaveChangesAsync(cancellationToken);
            }
        }

        var attributed = 0;
        foreach (var (key, storeId) in storeOf)
        {
            while (true)
            {
                await using var session = store.LightweightSession(tenantId);
                var batch = await session.Query<SignUpSummary>()
                    .Where(s => s.Location == key && s.StoreId == null)
                    .Select(s => s.Id)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                var now = clock.UtcNow;
                foreach (var signUpId in batch)
                {
                    session.Events.Append(signUpId, new SignUpAttributedToStore(signUpId, storeId, now));
                }

                await session.SaveChangesAsync(cancellationToken);
                attributed += batch.Count;
            }
        }

        return (added, attributed);
    }

    private async Task<List<string>> TenantsWithAFormAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
        exists.Parameters.AddWithValue("table", FormTable);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return [];
        }

        await using var command = new NpgsqlCommand($"select distinct tenant_id from {FormTable} where id = @id", connection);
        command.Parameters.AddWithValue("id", FormDefinition.CurrentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }
}

/// <summary><c>resources setup</c> (the migration Job) makes the old form locations into stores before a rollout.</summary>
internal sealed class StoreLocationMigrationResource(IServiceProvider services) : StatefulResourceBase(
    "Data", "store-locations", new Uri("customerinfo://stores"), new Uri("postgresql://store-locations"))
{
    public override Task Setup(CancellationToken token) =>
        services.GetRequiredService<StoreLocationMigration>().RunAsync(token);

    public override Task Check(CancellationToken token) => Task.CompletedTask;
}

internal sealed class StoreLocationMigrationSystemPart(IServiceProvider services) : SystemPartBase("Stores", new Uri("customerinfo://stores"))
{
    public override ValueTask<IReadOnlyList<IStatefulResource>> FindResources() =>
        ValueTask.FromResult<IReadOnlyList<IStatefulResource>>([new StoreLocationMigrationResource(services)]);
}

/// <summary>Where the schema is applied at start-up (not Production), the old form locations become stores then too.</summary>
internal sealed class StoreLocationMigrationAtStartup(StoreLocationMigration migration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migration.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
