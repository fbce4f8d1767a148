using System.Text.Json;
using CustomerInfo.Application.Audit.ListAuditLog;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.IntegrationTests.SignUps;
using CustomerInfo.TestSupport;
using Marten;
using Marten.Linq;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerInfo.IntegrationTests.Audit;

/// <summary>
/// The audit log on a big event table: a tenant whose events are mostly shoppers' sign-ups, and another
/// tenant beside it. Each filter's own SQL, as Marten generates it, EXPLAINed: it reads mt_events through
/// mt_events_idx_audit (tenant, type, time), never scans the table, and sorts at most the tenant's audit rows.
/// </summary>
public sealed class AuditLogIndexTests(AuditIndexFixture fixture, ITestOutputHelper output) : IClassFixture<AuditIndexFixture>
{
    public static TheoryData<string> Variants() => [.. AuditIndexFixture.Variants.Keys];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Each_filter_reads_the_audit_index_and_never_the_whole_table(string variant)
    {
        var (query, deep) = AuditIndexFixture.Variants[variant];
        var plan = await fixture.ExplainAsync(query, deep);
        output.WriteLine(plan.RootElement.GetRawText());

        var nodes = IndexFixture.Nodes(plan.RootElement[0].GetProperty("Plan")).ToList();
        var onEvents = nodes.Where(n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "mt_events").ToList();
        onEvents.ShouldNotBeEmpty(variant);
        onEvents.ShouldAllBe(n => n.GetProperty("Node Type").GetString() != "Seq Scan", variant);
        nodes.Where(n => n.TryGetProperty("Index Name", out _)).Select(n => n.GetProperty("Index Name").GetString()).ShouldContain("mt_events_idx_audit", variant);
        nodes.Where(n => n.GetProperty("Node Type").GetString()!.EndsWith("Sort", StringComparison.Ordinal))
            .ShouldAllBe(sort => sort.GetProperty("Plan Rows").GetDouble() <= AuditIndexFixture.AuditRows * 1.5, variant);
    }

    [Fact]
    public async Task The_big_tenants_log_pages_through_its_own_entries_only()
    {
        var page = await fixture.PageAsync(new ListAuditLogQuery(PageSize: 200));
        page.Count.ShouldBe(201);
        page.ShouldAllBe(e => e.TenantId == fixture.Big.ToString());
        page.ShouldAllBe(e => e.Data is MemberSignedIn || e.Data is MemberRoleChanged || e.Data is TenantRetentionSet);
    }
}

public sealed class AuditIndexFixture : AppFactory
{
    public const int SignUps = 30_000;
    public const int AuditRows = 2_000;

    public static readonly Guid Member = Guid.Parse("a0000000-0000-0000-0000-0000000000a1");

    public static readonly Dictionary<string, (ListAuditLogQuery Query, bool Deep)> Variants = new()
    {
        ["newest"] = (new ListAuditLogQuery(), false),
        ["deep page"] = (new ListAuditLogQuery(), true),
        ["sign-ins"] = (new ListAuditLogQuery(Action: "signins"), false),
        ["privacy, deep page"] = (new ListAuditLogQuery(Action: "privacy"), true),
        ["a member"] = (new ListAuditLogQuery(Person: "member:" + Member), false),
        ["the system"] = (new ListAuditLogQuery(Person: "system"), false),
        ["a week"] = (new ListAuditLogQuery(From: "2024-03-01", To: "2024-03-07"), false),
        ["team in a month"] = (new ListAuditLogQuery(Action: "team", From: "2024-03-01", To: "2024-03-31"), false),
    };

    public Guid Big { get; } = Guid.NewGuid();

    public Guid Small { get; } = Guid.NewGuid();

    private IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await LoadAsync(Big, SignUps, AuditRows);
        await LoadAsync(Small, SignUps / 10, AuditRows / 10);
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        // Appends are stamped with the transaction's time: spread them over months, as a real log is.
        await using var spread = new NpgsqlCommand("update customerinfo.mt_events set timestamp = timestamptz '2024-01-01' + seq_id * interval '7 minutes'; "
            // The retention choices made by the system, as the daily job's are.
            + "update customerinfo.mt_events set headers = jsonb_set(headers, '{actor}', '\"system:retention\"') where type = 'tenant_retention_set'; analyze customerinfo.mt_events", connection);
        await spread.ExecuteNonQueryAsync();
    }

    /// <summary>Shoppers' sign-ups, and among them members signing in, a role changed now and then, a retention choice by the system.</summary>
    private async Task LoadAsync(Guid tenant, int signUps, int audit)
    {
        var store = Guid.NewGuid();
        const int batch = 2_500;
        var every = signUps / audit;
        for (var first = 0; first < signUps; first += batch)
        {
            await using var session = Store.LightweightSession(tenant.ToString());
            session.SetHeader("actor", "member:" + Member);
            session.SetHeader("client", "203.0.113.7");
            for (var i = first; i < Math.Min(signUps, first + batch); i++)
            {
                var at = DateTimeOffset.UtcNow;
                var shopper = new Shopper("Ann", "de Vries", $"shopper{i}@example.com", null, null, null);
                session.Events.StartStream(Guid.NewGuid(), new SignUpSubmitted(Guid.NewGuid(), 1, "en", null, at, at, shopper, [], null, null, store));
                if (i % every == 0)
                {
                    object fact = (i / every % 20) switch
                    {
                        0 => new MemberRoleChanged(Member, TeamRole.Staff, TeamRole.Manager, at),
                        1 => new TenantRetentionSet(tenant, 24, at),
                        _ => new MemberSignedIn(Member, false, at),
                    };
                    session.Events.Append(fact is TenantRetentionSet ? tenant : Member, fact);
                }
            }

            await session.SaveChangesAsync();
        }
    }

    public async Task<IReadOnlyList<JasperFx.Events.IEvent>> PageAsync(ListAuditLogQuery query)
    {
        await using var session = Store.QuerySession(Big.ToString());
        return await ListAuditLogHandler.Rows(session, query, StoreTimeZones.Find(null)).Take(query.PageSize + 1).ToListAsync();
    }

    public async Task<JsonDocument> ExplainAsync(ListAuditLogQuery query, bool deep)
    {
        await using var session = Store.QuerySession(Big.ToString());
        var zone = StoreTimeZones.Find(null);
        if (deep)
        {
            // A cursor a third of the way down: what an "Older" link many pages in carries.
            var all = await ListAuditLogHandler.Rows(session, query, zone).Select(e => new { e.Timestamp, e.Sequence }).ToListAsync();
            all.Count.ShouldBeGreaterThan(10);
            var row = all[all.Count / 3];
            query = query with { Before = new AuditCursor(row.Timestamp, row.Sequence).Encode() };
        }

        (await ListAuditLogHandler.Rows(session, query, zone).Take(51).ToListAsync()).ShouldNotBeEmpty("the variant finds entries, so its plan is a real one");
        var command = ListAuditLogHandler.Rows(session, query, zone).Take(51).ToCommand(FetchType.FetchMany);

        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("explain (format json) " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        return JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
    }
}
