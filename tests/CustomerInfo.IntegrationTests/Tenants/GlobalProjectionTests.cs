using CustomerInfo.TestSupport;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events.Aggregation;
using Npgsql;

namespace CustomerInfo.IntegrationTests.Tenants;

/// <summary>
/// Why the tenant document is written by the lifecycle handlers and not by an inline projection
/// (docs/decisions/0012-tenant-lifecycle.md). These pin what Marten 9 does with a global document
/// projected from conjoined events, so an upgrade that changes it shows up here.
/// </summary>
public sealed class GlobalProjectionTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateEmptyAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Marten_refuses_an_inline_projection_of_conjoined_events_into_a_global_document()
    {
        var exception = await Should.ThrowAsync<Exception>(async () =>
        {
            using var store = DocumentStore.For(options =>
            {
                Configure(options);
                options.Projections.Add(new SingleStreamProjection<Probe, Guid>(), ProjectionLifecycle.Inline);
            });
            await using var session = store.LightweightSession("tenant-a");
            session.Events.StartStream(Guid.NewGuid(), new ProbeStarted("a"));
            await session.SaveChangesAsync();
        });

        Flatten(exception).ShouldContain("Tenancy storage style mismatch");
    }

    [Fact]
    public async Task Marten_s_global_projection_moves_the_stream_out_of_the_tenant_into_the_default_tenant()
    {
        using var store = DocumentStore.For(options =>
        {
            Configure(options);
            options.Projections.AddGlobalProjection(new SingleStreamProjection<Probe, Guid>(), ProjectionLifecycle.Inline);
        });
        var id = Guid.NewGuid();
        await using (var session = store.LightweightSession("tenant-a"))
        {
            session.Events.StartStream(id, new ProbeStarted("a"));
            await session.SaveChangesAsync();
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select distinct tenant_id from probe.mt_events where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        (await command.ExecuteScalarAsync()).ShouldBe(StorageConstants.DefaultTenantId);
    }

    private void Configure(StoreOptions options)
    {
        options.Connection(database.ConnectionString);
        options.DatabaseSchemaName = "probe";
        options.AutoCreateSchemaObjects = AutoCreate.All;
        options.Policies.AllDocumentsAreMultiTenanted();
        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        options.Schema.For<Probe>().SingleTenanted();
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join("\n", aggregate.InnerExceptions.Select(Flatten))
            : exception.Message + (exception.InnerException is { } inner ? "\n" + Flatten(inner) : "");

    public sealed record ProbeStarted(string Name);

    public sealed class Probe
    {
        public Guid Id { get; set; }

        public string Name { get; set; } = "";

        public void Apply(ProbeStarted started) => Name = started.Name;
    }
}
