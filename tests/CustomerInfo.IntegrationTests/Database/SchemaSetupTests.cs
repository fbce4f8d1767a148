using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CustomerInfo.Application.Contacts.GetContact;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.TestSupport;
using JasperFx.Resources;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CustomerInfo.IntegrationTests.Database;

/// <summary>
/// The app as Kubernetes runs it: Production, on a database nobody has prepared, with no
/// Database:ApplySchemaOnStartup setting (so the Production default, false, applies).
/// </summary>
public sealed class ProductionApp : AppFactory
{
    private static readonly string Certificate = TestCertificates.Pem();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Database:ApplySchemaOnStartup", null),
            new("PersonalData:IndexKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            // As the ConfigMap: Production refuses to start without somewhere to send mail, and a sender.
            new("Smtp:Host", "smtp.example"),
            new("Smtp:From", "CustomerInfo <noreply@customerinfo.example>"),
            // As the Secret volume: Production refuses to start without a certificate for the Data Protection keys.
            new("DataProtection:CertificatePath", Certificate),
            // As the Secret: Production refuses to start without Stripe's keys.
            new("Stripe:SecretKey", "sk_test_production_app"),
            new("Stripe:WebhookSecret", "whsec_production_app"),
            // As the Secret: Production refuses to start without the platform owner's second factor.
            new("Owner:TotpSecret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        ];

    protected override bool StartsWithSchema => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public class ProductionOnAnEmptyDatabaseTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task A_production_app_on_an_empty_database_is_not_ready_and_creates_no_tables()
    {
        var client = app.ClientFor("localhost");
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ready = await client.GetAsync("/health/ready");

        var json = JsonDocument.Parse(await AppFactory.ReadAsync(ready, HttpStatusCode.ServiceUnavailable));
        var checks = json.RootElement.GetProperty("checks");
        checks.GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("marten-schema").GetProperty("status").GetString().ShouldBe("Unhealthy");
        checks.GetProperty("hangfire-storage").GetProperty("status").GetString().ShouldBe("Unhealthy");
        (await Schema.TablesAsync(app.Database, "customerinfo")).ShouldBeEmpty();
        (await Schema.TablesAsync(app.Database, "hangfire")).ShouldBeEmpty();
    }
}

public class ResourceSetupTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task Resource_setup_creates_the_marten_and_hangfire_schemas_and_the_production_app_becomes_ready()
    {
        // What the migration Job's 'dotnet CustomerInfo.Web.dll resources setup' runs.
        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);

        var marten = await Schema.TablesAsync(app.Database, "customerinfo");
        marten.ShouldContain("mt_doc_tenant");
        marten.ShouldContain("mt_events");
        marten.ShouldContain("mt_streams");
        (await Schema.TablesAsync(app.Database, "hangfire")).ShouldContain("job");

        var ready = await app.ClientFor("localhost").GetAsync("/health/ready");
        var json = JsonDocument.Parse(await AppFactory.ReadAsync(ready, HttpStatusCode.OK));
        json.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task After_resource_setup_a_production_app_can_onboard_a_store_and_append_its_events()
    {
        await app.Services.GetRequiredService<IHost>().SetupResources(CancellationToken.None);

        var id = await app.AddStoreAsync("first", "First Store");

        var body = await AppFactory.ReadAsync(await app.ClientFor("first.localhost").GetAsync("/"), HttpStatusCode.OK);
        body.ShouldContain("First Store");
        id.ShouldNotBe(Guid.Empty);

        // Every table the shopper's path needs exists too: a form, a sign-up, its contact.
        await app.SendAsync("first", new PublishFormDefinitionCommand(FormDefinition.StarterFor("First Store")));
        var signUp = await app.SendAsync("first", new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = "Ann", Email = "ann@example.com" });
        var link = await app.SendAsync("first", new LinkSignUpToContactCommand(signUp.SignUpId));
        (await app.SendAsync("first", new ListSignUpsQuery())).Items.Single().ContactId.ShouldBe(link.ContactId);
        (await app.SendAsync("first", new GetContactQuery(link.ContactId!.Value))).ShouldNotBeNull();

        // Over HTTPS, Production tells browsers to come back only over HTTPS, subdomains included; over plain HTTP it says nothing.
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://first.localhost/"), AllowAutoRedirect = false });
        var secure = await https.GetAsync("/");
        secure.StatusCode.ShouldBe(HttpStatusCode.OK);
        string.Join(",", secure.Headers.GetValues("Strict-Transport-Security")).ShouldBe("max-age=31536000; includeSubDomains");
        (await app.ClientFor("first.localhost").GetAsync("/")).Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }
}

internal static class Schema
{
    public static async Task<List<string>> TablesAsync(TestDatabase database, string schema)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE'", connection);
        command.Parameters.AddWithValue("schema", schema);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
