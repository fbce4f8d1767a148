using System.Diagnostics;
using System.Globalization;
using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Infrastructure.Jobs;
using CustomerInfo.Web.Seeding;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

// bench/admin-scale.sh's tool. "load SIZES [PREFIX]" loads the tenants into the database of
// ConnectionStrings__Postgres through the app's own composition root (the same Marten configuration,
// projections and indexes): each tenant (PREFIX1, PREFIX2, ...) is onboarded, gets a store, the demo
// form and an Owner by the app's commands, and its sign-ups are appended as the group-commit log
// appends them (one stream per sign-up, started with SignUpSubmitted in a session of the tenant), so
// the inline SignUpSummary projection writes the list's rows in the same transactions. One in five
// sign-ups was pushed to a CRM, one in a hundred failed to be. "list", "export" and "import" measure
// the running app over HTTP (Measure). BENCH_ADMIN_PASSWORD is every tenant's Owner's password
// (owner@{subdomain}.localhost).
internal static class AdminScaleLoader
{
    private const int Batch = 500;

    public static async Task Main(string[] args)
    {
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

        switch (args[0])
        {
            case "list":
                await Measure.ListAsync(args[1], args[2].Split(','), Password(), int.Parse(args[3], CultureInfo.InvariantCulture));
                return;
            case "export":
                await Measure.ExportAsync(args[1], args[2], Password(), int.Parse(args[3], CultureInfo.InvariantCulture));
                return;
            case "import":
                await Measure.ImportAsync(args[1], args[2], Password(), int.Parse(args[3], CultureInfo.InvariantCulture));
                return;
        }

        var sizes = args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var prefix = args.Length > 2 ? args[2] : "scale";
        var password = Password();
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("Set ConnectionStrings__Postgres.");
        var workers = int.Parse(Environment.GetEnvironmentVariable("BENCH_LOAD_WORKERS") ?? "2", CultureInfo.InvariantCulture);

        await using var app = new LoaderHost(connection);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var clock = Stopwatch.StartNew();

        for (var t = 0; t < sizes.Length; t++)
        {
            var identifier = $"{prefix}{t + 1}";
            Guid tenantId;
            await using (var owner = WorkScope.Enter(scopes, Actor.PlatformOwner()))
            {
                tenantId = (await owner.ServiceProvider.GetRequiredService<ISender>().Send(new OnboardTenantCommand(identifier, $"Scale {t + 1} ({sizes[t]:N0} sign-ups)", NoTrial: true))).TenantId;
            }

            var tenant = (await app.Services.GetRequiredService<ITenantStore>().FindByIdAsync(tenantId, CancellationToken.None))!;
            Guid storeId;
            await using (var scope = WorkScope.Enter(scopes, Actor.Member(tenantId, Guid.Empty, TeamRole.Owner), tenant))
            {
                var sender = scope.ServiceProvider.GetRequiredService<ISender>();
                await sender.Send(new PublishFormDefinitionCommand(DemoForm.Definition));
                storeId = await sender.Send(new AddStoreCommand("City Centre", StoreTimeZones.Default, "Main Street 1"));
                var member = scope.ServiceProvider.GetRequiredService<NewMembers>().Create($"owner@{identifier}.localhost", password, TeamRole.Owner, "en", emailConfirmed: true);
                var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
                session.Insert(member);
                session.Events.StartStream(member.Id, new MemberJoined(member.Id, TeamRole.Owner, null, member.JoinedAt));
                await session.SaveChangesAsync();
            }

            var started = clock.Elapsed;
            var next = -1;
            var batches = (sizes[t] + Batch - 1) / Batch;
            await Parallel.ForEachAsync(Enumerable.Range(0, workers), async (_, cancellationToken) =>
            {
                await using var worker = WorkScope.Enter(scopes, Actor.System("bench-loader"));
                for (var b = Interlocked.Increment(ref next); b < batches; b = Interlocked.Increment(ref next))
                {
                    await using var session = store.LightweightSession(tenantId.ToString());
                    for (var n = b * Batch; n < Math.Min(sizes[t], (b + 1) * Batch); n++)
                    {
                        var events = SignUps.Of(t, n, sizes[t], storeId);
                        session.Events.StartStream(events.Id, events.Events);
                    }

                    await session.SaveChangesAsync(cancellationToken);
                }
            });
            Console.WriteLine(FormattableString.Invariant($"{identifier} {sizes[t]} {(clock.Elapsed - started).TotalSeconds:F1}"));
        }

        Console.WriteLine(FormattableString.Invariant($"total {sizes.Sum()} {clock.Elapsed.TotalSeconds:F1}"));
    }

    private static string Password() =>
        Environment.GetEnvironmentVariable("BENCH_ADMIN_PASSWORD") ?? throw new InvalidOperationException("Set BENCH_ADMIN_PASSWORD.");
}

/// <summary>The app as the tests host it: its whole composition root on the given database, no background work.</summary>
internal sealed class LoaderHost(string connection) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", connection);
        builder.UseSetting("Hangfire:Server:Enabled", "false");
        builder.UseSetting("Marten:Daemon:Enabled", "false");
        builder.UseSetting("Database:ApplySchemaOnStartup", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

/// <summary>Made-up shoppers: common Dutch names (so a name search finds many), unique addresses and numbers.</summary>
internal static class SignUps
{
    private static readonly string[] FirstNames = ["Anna", "Bram", "Daan", "Emma", "Eva", "Finn", "Julia", "Lars", "Lotte", "Luuk", "Mila", "Noah", "Sara", "Sem", "Sophie", "Thijs", "Tess", "Vera", "Zoë", "Jesse"];

    private static readonly string[] LastNames = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters"];

    private const string ConsentWords = "Ja, stuur mij nieuws en aanbiedingen per e-mail.";

    private static readonly DateTimeOffset Start = new(2025, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly Guid Connection = new("5c0a1e00-0000-4000-8000-000000000001");

    /// <summary>The <paramref name="n"/>th of <paramref name="count"/> sign-ups of tenant <paramref name="t"/>, spread evenly over two years.</summary>
    public static (Guid Id, object[] Events) Of(int t, int n, int count, Guid storeId)
    {
        var id = Guid.CreateVersion7();
        var received = Start + TimeSpan.FromTicks(TimeSpan.FromDays(730).Ticks / count * n);
        var first = FirstNames[n % FirstNames.Length];
        var last = LastNames[n / FirstNames.Length % LastNames.Length];
        var email = $"{first.ToLowerInvariant()}.{n.ToString(CultureInfo.InvariantCulture)}@t{t.ToString(CultureInfo.InvariantCulture)}.example.test";
        var phone = "+316" + (10_000_000 + n).ToString(CultureInfo.InvariantCulture);
        var consent = n % 3 == 0 ? null : new ConsentProof(ConsentChannel.Email, ConsentWords, ConsentText.VersionOf(ConsentWords), "nl", received, null);
        var submitted = new SignUpSubmitted(
            id, 1, "nl", null, received.AddSeconds(-20), received,
            new Shopper(first, last, email, phone, new Birthday(1 + (n % 28), 1 + (n % 12), 1950 + (n % 55)), "1234 AB"),
            [], consent, null, n % 2 == 0 ? storeId : null);
        return (n % 100) switch
        {
            0 => (id, [submitted, new CrmPushFailed(id, Connection, "webhook", "The CRM answered 422.", $"d-{id:N}", 5, null, received.AddMinutes(30))]),
            < 21 => (id, [submitted, new SignUpPushedToCrm(id, Connection, "webhook", $"r-{n}", $"d-{id:N}", 1, received.AddSeconds(5))]),
            _ => (id, [submitted]),
        };
    }
}
