using System.Diagnostics;
using System.Text.Json;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.TestSupport;
using Marten;
using Marten.Linq;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CustomerInfo.IntegrationTests.SignUps;

/// <summary>
/// The sign-up list at scale: a big tenant and a smaller one loaded through the event store's own
/// append API (the inline projection writes the read model, as in production), then every list and
/// search variant's own SQL, as Marten generates it, EXPLAINed: each reads an index that leads with
/// the tenant, never scans the table and never sorts the tenant's sign-ups.
/// </summary>
public sealed class SignUpListIndexTests(IndexFixture fixture, ITestOutputHelper output) : IClassFixture<IndexFixture>
{
    public static TheoryData<string> Variants() => [.. IndexFixture.Variants.Keys];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Each_list_and_search_reads_an_index_and_sorts_nothing_of_the_whole_tenant(string variant)
    {
        var (filter, deep) = IndexFixture.Variants[variant];
        var plan = await fixture.ExplainAsync(filter, deep);
        output.WriteLine(plan.RootElement.GetRawText());

        var nodes = IndexFixture.Nodes(plan.RootElement[0].GetProperty("Plan")).ToList();
        var onSummary = nodes.Where(n => n.TryGetProperty("Relation Name", out var r) && r.GetString() == "mt_doc_signupsummary").ToList();
        onSummary.ShouldNotBeEmpty();
        onSummary.ShouldAllBe(n => n.GetProperty("Node Type").GetString() != "Seq Scan", variant);
        // Every read of the table seeks an index by the tenant first.
        onSummary.Where(n => !SeeksTenant(n)).ShouldBeEmpty(variant);

        // A sort, if any, is of the few rows an exact or prefix search found, never of the tenant;
        // without a search the index gives the order itself.
        var sorts = nodes.Where(n => n.GetProperty("Node Type").GetString()!.EndsWith("Sort", StringComparison.Ordinal)).ToList();
        sorts.ShouldAllBe(sort => sort.GetProperty("Plan Rows").GetDouble() < IndexFixture.BigTenantRows / 20.0, variant);
        if (filter.Search is null)
        {
            sorts.ShouldBeEmpty(variant);
        }
    }

    [Fact]
    public async Task The_failed_pushes_are_read_from_the_push_status_index()
    {
        var plan = await fixture.ExplainAsync(new SignUpFilter(CrmStatus: CrmPushStatus.Failed), deep: false);
        output.WriteLine(plan.RootElement.GetRawText());

        IndexFixture.Nodes(plan.RootElement[0].GetProperty("Plan"))
            .Where(n => n.TryGetProperty("Index Name", out _))
            .Select(n => n.GetProperty("Index Name").GetString())
            .ShouldContain("mt_doc_signupsummary_idx_crm_status");
    }

    private static bool SeeksTenant(JsonElement node) =>
        node.TryGetProperty("Index Name", out _) && node.TryGetProperty("Index Cond", out var condition) && condition.GetString()!.Contains("tenant_id", StringComparison.Ordinal);

    [Fact]
    public async Task The_table_holds_both_tenants_and_the_list_reads_only_its_own()
    {
        var page = await fixture.PageAsync(fixture.Small, SignUpFilter.None, null);
        page.Count.ShouldBe(51);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from customerinfo.mt_doc_signupsummary", connection);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(IndexFixture.BigTenantRows + IndexFixture.SmallTenantRows);
    }
}

public sealed class IndexFixture : AppFactory
{
    public const int BigTenantRows = 50_000;
    public const int SmallTenantRows = 8_000;

    private static readonly string[] FirstNames = ["Ann", "Bram", "Chloé", "Daan", "Emma", "Finn", "Greta", "Hugo", "Iris", "Joris", "Kim", "Lotte", "Milan", "Noor", "Otto", "Pien"];
    private static readonly string[] LastNames = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Kok", "Willems"];

    public static readonly Guid StoreA = Guid.Parse("a0000000-0000-0000-0000-00000000000a");

    public static readonly Dictionary<string, (SignUpFilter Filter, bool Deep)> Variants = new()
    {
        ["newest"] = (SignUpFilter.None, false),
        ["deep page"] = (SignUpFilter.None, true),
        ["store"] = (new SignUpFilter(StoreId: StoreA), false),
        ["store, deep page"] = (new SignUpFilter(StoreId: StoreA), true),
        ["date range"] = (new SignUpFilter(From: new DateOnly(2024, 9, 1), To: new DateOnly(2024, 9, 7)), false),
        ["date range and consent"] = (new SignUpFilter(From: new DateOnly(2024, 9, 1), To: new DateOnly(2024, 9, 30), EmailConsent: true), false),
        ["store and date range"] = (new SignUpFilter(From: new DateOnly(2024, 9, 1), To: new DateOnly(2024, 9, 30), StoreId: StoreA), false),
        ["email"] = (new SignUpFilter(Search: "Shopper12345@Example.com"), false),
        ["phone"] = (new SignUpFilter(Search: "06 1001 2345"), false),
        ["name prefix"] = (new SignUpFilter(Search: "Lot"), false),
        ["name prefix, deep page"] = (new SignUpFilter(Search: "jans"), true),
        ["imported"] = (new SignUpFilter(Source: SignUpSource.Import), false),
        ["kiosk, deep page"] = (new SignUpFilter(Source: SignUpSource.Kiosk), true),
        ["push failed"] = (new SignUpFilter(CrmStatus: CrmPushStatus.Failed), false),
        ["push failed, deep page"] = (new SignUpFilter(CrmStatus: CrmPushStatus.Failed), true),
        ["push waiting, deep page"] = (new SignUpFilter(CrmStatus: CrmPushStatus.Waiting), true),
        ["push failed and date range"] = (new SignUpFilter(From: new DateOnly(2024, 9, 1), To: new DateOnly(2024, 9, 30), CrmStatus: CrmPushStatus.Failed), false),
    };

    public Guid Big { get; private set; }

    public Guid Small { get; private set; }

    public string ConnectionString => Database.ConnectionString;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var watch = Stopwatch.StartNew();
        Big = Guid.NewGuid();
        Small = Guid.NewGuid();
        await LoadAsync(Big, BigTenantRows, [StoreA, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()]);
        await LoadAsync(Small, SmallTenantRows, [Guid.NewGuid()]);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("analyze customerinfo.mt_doc_signupsummary", connection);
        await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"Loaded {BigTenantRows + SmallTenantRows} sign-ups in {watch.Elapsed}");
    }

    private IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>Sign-ups every ~17 minutes over half a year, through StartStream, as the kiosk's log appends them.</summary>
    private async Task LoadAsync(Guid tenant, int rows, Guid[] stores)
    {
        var start = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        const int batch = 2_500;
        for (var first = 0; first < rows; first += batch)
        {
            await using var session = Store.LightweightSession(tenant.ToString());
            foreach (var store in stores.Where(_ => first == 0))
            {
                session.Events.StartStream(store, new StoreAdded(store, "Store " + store.ToString()[..4], StoreTimeZones.Default, null, start));
            }

            for (var i = first; i < Math.Min(rows, first + batch); i++)
            {
                // Some sign-ups share their instant (a tablet's queue arriving at once).
                var at = start.AddMinutes(17 * (i / 3));
                var shopper = new Shopper(FirstNames[i % FirstNames.Length], LastNames[(i / FirstNames.Length) % LastNames.Length], $"shopper{i}@example.com", $"+3161{i:D7}", null, null);
                var email = i % 3 == 0 ? new ConsentProof(ConsentChannel.Email, "Yes", "v1", "en", at, null) : null;
                // One in ten came from an imported customer list (the source filter's rows).
                var source = i % 10 == 0 ? SignUpSource.Import : SignUpSource.Kiosk;
                var submitted = new SignUpSubmitted(Guid.NewGuid(), 1, "en", null, at, at, shopper, [], email, null, stores[i % stores.Length], Source: source);
                // One in 25 failed to reach the CRM (the push status filter's rows); the rest wait.
                object[] events = i % 25 == 1
                    ? [submitted, new CrmPushFailed(submitted.SignUpId, Guid.Empty, "webhook", "400", "d", 5, null, at)]
                    : [submitted];
                session.Events.StartStream(Guid.NewGuid(), events);
            }

            await session.SaveChangesAsync();
        }
    }

    public async Task<IReadOnlyList<SignUpSummary>> PageAsync(Guid tenant, SignUpFilter filter, SignUpCursor? before)
    {
        await using var session = Store.QuerySession(tenant.ToString());
        return await Query(session, filter, before).ToListAsync();
    }

    private static IQueryable<SignUpSummary> Query(IQuerySession session, SignUpFilter filter, SignUpCursor? before) =>
        SignUpRows.Page(session.Query<SignUpSummary>(), filter, StoreTimeZones.Find(null), "NL", before, 51);

    /// <summary>EXPLAIN of the command Marten builds for the page (its SQL and parameters as they are).</summary>
    public async Task<JsonDocument> ExplainAsync(SignUpFilter filter, bool deep)
    {
        await using var session = Store.QuerySession(Big.ToString());
        SignUpCursor? before = null;
        if (deep)
        {
            // A cursor a third of the way down the matches: what an "Older" link many pages in carries.
            var all = await SignUpRows.Page(session.Query<SignUpSummary>(), filter, StoreTimeZones.Find(null), "NL", null, 100_000).Select(s => new { s.ReceivedAt, s.Id }).ToListAsync();
            all.Count.ShouldBeGreaterThan(10);
            var row = all[all.Count / 3];
            before = new SignUpCursor(row.ReceivedAt, row.Id);
        }

        var command = Query(session, filter, before).ToCommand(FetchType.FetchMany);
        (await Query(session, filter, before).ToListAsync()).ShouldNotBeEmpty("the variant finds sign-ups, so its plan is a real one");

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("explain (format json) " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        return JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
    }

    public static IEnumerable<JsonElement> Nodes(JsonElement plan)
    {
        yield return plan;
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return child;
            }
        }
    }
}
