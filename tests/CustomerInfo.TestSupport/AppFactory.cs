using System.Net;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Application.Tenants.SuspendTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace CustomerInfo.TestSupport;

/// <summary>
/// The real app on its own database: the whole composition root, real PostgreSQL, real Marten and
/// Hangfire storage. One per test class (xunit class fixture); <see cref="ResetAsync"/> between tests.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OwnerEmail = "owner@example.test";
    public const string OwnerPassword = "correct horse battery staple";

    private TestDatabase? database;

    static AppFactory()
    {
        // Program ends with RunJasperFxCommands; under a test host it must start the app, not parse a command.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
    }

    public TestDatabase Database => database ?? throw new InvalidOperationException("The factory has not been initialised.");

    /// <summary>Every log line of this app, checked for personal data when the test class is done.</summary>
    public LoggedPersonalData Logs { get; } = new();

    /// <summary>Configuration the test class wants on top of the defaults (key, value).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>False: the app starts on an empty database (tests of schema set-up itself).</summary>
    protected virtual bool StartsWithSchema => true;

    public virtual async Task InitializeAsync()
    {
        database = StartsWithSchema ? await TestDatabase.CreateAsync() : await TestDatabase.CreateEmptyAsync();
        _ = Services; // start the host: checks the schema (and applies it on an empty database)
    }

    /// <summary>Starts the app once on <paramref name="database"/>, which applies its whole schema there, and stops it.</summary>
    internal static async Task ApplySchemaAsync(TestDatabase database)
    {
        var app = new AppFactory { database = database, sharesDatabase = true };
        _ = app.Services;
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    /// <summary>
    /// Another pod of the same deployment: a second host of the app on this factory's database, with
    /// its own caches, as a second web replica has. Disposing it leaves the database to this factory.
    /// </summary>
    public AppFactory SecondPod()
    {
        var pod = new AppFactory { database = Database, sharesDatabase = true };
        _ = pod.Services;
        return pod;
    }

    /// <summary>A second pod of another kind (other settings or services) on this factory's database.</summary>
    public T SecondPod<T>()
        where T : AppFactory, new()
    {
        var pod = new T();
        AppFactory shared = pod;
        shared.database = Database;
        shared.sharesDatabase = true;
        _ = pod.Services;
        return pod;
    }

    private bool sharesDatabase;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        var jobLeaks = database is null ? [] : await JobLeaksAsync(database);
        if (database is not null && !sharesDatabase)
        {
            await database.DisposeAsync();
        }

        var leaks = Logs.Leaks();
        if (leaks.Count > 0 || jobLeaks.Count > 0)
        {
            var report = $"{leaks.Count} log line(s) and {jobLeaks.Count} job(s) of {GetType().Name} hold personal data or a secret:\n{string.Join('\n', leaks.Concat(jobLeaks).Take(5))}";
            // A class clean-up failure shows only its exception's type in the runner's output: the report goes to stderr and a file too.
            await Console.Error.WriteLineAsync(report);
            Directory.CreateDirectory("leaks");
            await File.AppendAllTextAsync(Path.Combine("leaks", GetType().Name + ".txt"), report + "\n");
            throw new Xunit.Sdk.XunitException(report);
        }
    }

    /// <summary>
    /// The stored Hangfire jobs whose method, arguments, parameters or states (a failed job's exception)
    /// hold personal data or a secret: all of it shows in the dashboard and stays in the database after the job.
    /// </summary>
    public static async Task<IReadOnlyList<string>> JobLeaksAsync(TestDatabase database)
    {
        // A connection of its own, not from the pool: a test may have had the server end the pooled ones.
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"""
            select coalesce(j.invocationdata::text, '') || ' ' || coalesce(j.arguments::text, '')
                || ' ' || coalesce((select string_agg(p.value, ' ') from {HangfireConfiguration.SchemaName}.jobparameter p where p.jobid = j.id), '')
                || ' ' || coalesce((select string_agg(coalesce(s.reason, '') || ' ' || coalesce(s.data::text, ''), ' ') from {HangfireConfiguration.SchemaName}.state s where s.jobid = j.id), '')
            from {HangfireConfiguration.SchemaName}.job j
            """,
            connection);
        var texts = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                texts.Add(reader.GetString(0));
            }
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable || e.SqlState == Npgsql.PostgresErrorCodes.InvalidSchemaName)
        {
            return []; // a test of schema set-up whose app never made Hangfire's tables
        }

        return LoggedPersonalData.LeaksIn(texts).Select(leak => "job: " + leak).ToList();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // The build's precompressed assets live under obj/ (a published app has them in wwwroot);
        // Development finds them by itself, other environments need this.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
        builder.UseSetting("App:RootDomain", "localhost");
        builder.UseSetting("App:PublicOrigin", "http://localhost");
        builder.UseSetting("Hangfire:Server:Enabled", "false");
        builder.UseSetting("Database:ApplySchemaOnStartup", "true");
        builder.UseSetting("Owner:Email", OwnerEmail);
        builder.UseSetting("Owner:Password", OwnerPassword);
        // Tests sign in many times from one (absent) client address; the limit has its own tests.
        builder.UseSetting("RateLimits:AccountFormsPerClientPerMinute", "10000");
        // CRM fakes and webhook receivers listen on 127.0.0.1 over plain HTTP (issue 12 §4).
        builder.UseSetting("Crm:AllowPrivateTargets", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LoggedPersonalData>(null, LogLevel.Debug));
        LoggedPersonalData.RememberSecret(OwnerPassword);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
            if (LoggedPersonalData.IsSecretKey(key))
            {
                LoggedPersonalData.RememberSecret(value);
            }
        }

        builder.ConfigureTestServices(ConfigureServices);
    }

    /// <summary>Services the test class replaces (a clock it controls), after the app's own.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>An HTTP client whose requests carry <paramref name="host"/> as their Host header.</summary>
    public HttpClient ClientFor(string host, bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"http://{host}"),
            AllowAutoRedirect = followRedirects,
            HandleCookies = true,
        });

    /// <summary>Sends a request on the platform's own host, as the platform owner unless a test names another actor.</summary>
    public async Task<T> SendAsync<T>(IQuery<T> request, Actor? actor = null)
    {
        await using var scope = WorkScope.Enter(Services.GetRequiredService<IServiceScopeFactory>(), actor ?? Actor.PlatformOwner());
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    public async Task<T> SendAsync<T>(ICommand<T> command, Actor? actor = null)
    {
        RememberNames(command);
        await using var scope = WorkScope.Enter(Services.GetRequiredService<IServiceScopeFactory>(), actor ?? Actor.PlatformOwner());
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    /// <summary>Names a test gives shoppers, which no log line may show (<see cref="LoggedPersonalData"/>).</summary>
    public static void RememberNames(object message)
    {
        if (message is SubmitSignUpCommand signUp)
        {
            LoggedPersonalData.Remember(signUp.FirstName);
            LoggedPersonalData.Remember(signUp.LastName);
        }
    }

    /// <summary>
    /// Onboards a store the way the platform owner does (so its email counts as confirmed) and brings
    /// it to <paramref name="status"/> through the same use cases the product uses. Past due and
    /// canceled have no use case yet (billing brings them): those stores get the status-change event
    /// that streams written before the lifecycle decider hold, which the lifecycle still replays.
    /// </summary>
    public async Task<Guid> AddStoreAsync(string identifier, string name, TenantStatus status = TenantStatus.Active)
    {
        var result = await SendAsync(new OnboardTenantCommand(identifier, name, NoTrial: status != TenantStatus.Trialing));
        switch (status)
        {
            case TenantStatus.Trialing or TenantStatus.Active:
                break;
            case TenantStatus.Suspended:
                (await SendAsync(new SuspendTenantCommand(result.TenantId))).Outcome.ShouldBe(TenantChangeOutcome.Changed);
                break;
            default:
                await AppendLegacyStatusChangeAsync(result.TenantId, status);
                break;
        }

        return result.TenantId;
    }

    /// <summary>A store a retailer onboarded themselves and whose email is not confirmed yet: its kiosk is closed.</summary>
    public async Task<Guid> AddUnconfirmedStoreAsync(string identifier, string name) =>
        (await SendAsync(new OnboardTenantCommand(identifier, name, ByPlatformOwner: false))).TenantId;

    private async Task AppendLegacyStatusChangeAsync(Guid tenantId, TenantStatus status)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession(tenantId.ToString());
        var history = await session.Events.FetchStreamAsync(tenantId);
        var tenant = TenantLifecycle.Replay(history.Select(e => e.Data))!;
        var change = new TenantStatusChanged(tenantId, tenant.Status, status, DateTimeOffset.UtcNow);
        session.Events.Append(tenantId, history[^1].Version + 1, change);
        session.Store(TenantLifecycle.Evolve(tenant, change)!);
        await session.SaveChangesAsync();
        Services.GetRequiredService<ITenantStore>().Forget(tenant.Identifier);
    }

    /// <summary>Empties every table and cache, so each test starts from nothing.</summary>
    public async Task ResetAsync()
    {
        await Services.GetRequiredService<IDocumentStore>().Advanced.ResetAllData();
        if (Services.GetRequiredService<IMemoryCache>() is MemoryCache cache)
        {
            cache.Clear();
        }
    }

    public static async Task<string> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new Xunit.Sdk.XunitException($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode}:\n{body[..Math.Min(body.Length, 2000)]}");
        }

        return body;
    }
}
