using System.Data.Common;
using CustomerInfo.Domain.SignUps;
using Marten;
using Weasel.Core;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// What the audit log (ADR 26) adds to the event store: the CRM settings' events, and the index the
/// log reads mt_events through.
/// </summary>
internal static class AuditConfiguration
{
    public const string IndexName = "mt_events_idx_audit";

    public static void Configure(StoreOptions options)
    {
        options.Events.AddEventTypes(
        [
            typeof(CrmConnected), typeof(CrmSettingsChanged), typeof(CrmMappingSaved), typeof(CrmDisconnected), typeof(CrmHistorySent),
        ]);

        // Marten has no API for an index of our own on mt_events: it is a feature of its own (which Marten
        // applies after the event tables, unlike ExtendedSchemaObjects), applied by 'resources setup' like
        // the rest, and Marten's migration of mt_events is told to leave it be.
        options.Storage.Add(new AuditIndexFeature(options));
        options.Events.IgnoreIndex(IndexName);
    }

    internal sealed class AuditIndexFeature(StoreOptions options) : Weasel.Core.Migrations.FeatureSchemaBase("AuditIndex", options.Advanced.Migrator)
    {
        protected override IEnumerable<ISchemaObject> schemaObjects() => [new AuditIndex(options.Events.DatabaseSchemaName)];
    }

    /// <summary>
    /// (tenant_id, type, timestamp, seq_id): the log's query names the tenant and the catalogued types,
    /// and pages by time; the shopper events, the bulk of the table, are never read. A plain CREATE INDEX
    /// (the migration runs in a transaction): on a large existing table it holds writes to mt_events while
    /// it builds, so its first deploy is planned like any migration of mt_events.
    /// </summary>
    internal sealed class AuditIndex(string schema) : ISchemaObject
    {
        public DbObjectName Identifier { get; } = new Weasel.Postgresql.PostgresqlObjectName(schema, IndexName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

        public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
            writer.WriteLine($"create index if not exists {IndexName} on {schema}.mt_events (tenant_id, type, timestamp, seq_id);");

        public void WriteDropStatement(Migrator migrator, TextWriter writer) =>
            writer.WriteLine($"drop index if exists {schema}.{IndexName};");

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
            builder.Append($"select count(*) from pg_indexes where schemaname = '{schema}' and indexname = '{IndexName}';");

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
        {
            var exists = await reader.ReadAsync(ct) && await reader.GetFieldValueAsync<long>(0, ct) > 0;
            return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
        }

        public IEnumerable<DbObjectName> AllNames() => [Identifier];
    }
}
