using System.Net;
using System.Text.Json;
using CustomerInfo.TestSupport;

namespace CustomerInfo.FunctionalTests.Health;

public class HealthTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("10.1.2.3:8080")]
    [InlineData("nowhere.localhost")]
    public async Task Live_answers_on_any_host_so_probes_by_pod_address_work(string host)
    {
        var response = await app.ClientFor(host).GetAsync("/health/live");
        var json = JsonDocument.Parse(await AppFactory.ReadAsync(response, HttpStatusCode.OK));
        json.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Ready_checks_postgresql_the_marten_schema_and_hangfire_storage()
    {
        var response = await app.ClientFor("localhost").GetAsync("/health/ready");
        var json = JsonDocument.Parse(await AppFactory.ReadAsync(response, HttpStatusCode.OK));

        json.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        var checks = json.RootElement.GetProperty("checks");
        foreach (var name in new[] { "postgresql", "marten-schema", "hangfire-storage" })
        {
            checks.GetProperty(name).GetProperty("status").GetString().ShouldBe("Healthy", name);
        }
    }
}

/// <summary>The app pointed at a port where no PostgreSQL listens.</summary>
public sealed class AppWithoutDatabase : AppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ConnectionStrings:Postgres", "Host=127.0.0.1;Port=9;Username=nobody;Password=none;Database=none;Timeout=2"),
        new("Database:ApplySchemaOnStartup", "false"),
    ];
}

public class HealthWithoutDatabaseTests(AppWithoutDatabase app) : IClassFixture<AppWithoutDatabase>
{
    [Fact]
    public async Task Live_passes_and_ready_fails_when_postgresql_is_down()
    {
        var client = app.ClientFor("localhost");
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ready = await client.GetAsync("/health/ready");
        var json = JsonDocument.Parse(await AppFactory.ReadAsync(ready, HttpStatusCode.ServiceUnavailable));
        json.RootElement.GetProperty("status").GetString().ShouldBe("Unhealthy");
        json.RootElement.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Unhealthy");
    }
}
