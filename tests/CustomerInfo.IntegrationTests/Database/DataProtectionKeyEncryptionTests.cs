using System.Security.Cryptography;
using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Persistence;
using CustomerInfo.TestSupport;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.IntegrationTests.Database;

/// <summary>The app with <c>DataProtection:CertificatePath</c> set to a PFX, as the Kubernetes Secret mounts it.</summary>
public sealed class EncryptedKeysApp : AppFactory
{
    public const string Password = "pfx password";

    public static readonly string Certificate = TestCertificates.Pfx(Password);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("DataProtection:CertificatePath", Certificate), new("DataProtection:CertificatePassword", Password)];
}

/// <summary>Data Protection's keys at rest (issue 12 §2): encrypted with the certificate, readable by a fresh app that has it, and by no app without it.</summary>
public class DataProtectionKeyEncryptionTests(EncryptedKeysApp app) : IClassFixture<EncryptedKeysApp>
{
    private async Task<IReadOnlyList<DataProtectionKey>> StoredKeysAsync()
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<DataProtectionKey>().ToListAsync();
    }

    private static WebApplicationFactory<Program> Fresh(WebApplicationFactory<Program> app, params (string Key, string Value)[] settings) =>
        app.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    [Fact]
    public async Task A_new_key_is_stored_without_its_secret_in_clear_and_what_it_protects_opens_in_a_fresh_app_with_the_certificate()
    {
        var tenant = Guid.NewGuid();
        var protectedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");
        var crmSecrets = app.Services.GetRequiredService<ICrmSecrets>().Protect(tenant, new Dictionary<string, string> { ["token"] = "pat-na1-secret" });

        var keys = await StoredKeysAsync();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => !k.Xml.Contains("<masterKey") && k.Xml.Contains("EncryptedData") && k.Xml.Contains("X509Certificate"));

        await using (var fresh = Fresh(app))
        {
            fresh.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText).ShouldBe("hello");
            fresh.Services.GetRequiredService<ICrmSecrets>().Unprotect(tenant, crmSecrets)!["token"].ShouldBe("pat-na1-secret");
        }

        // Rotation: a new certificate encrypts new keys, and the old one, listed as previous, still opens the old keys.
        var next = TestCertificates.Pfx(EncryptedKeysApp.Password, "next");
        await using (var rotated = Fresh(app, ("DataProtection:CertificatePath", next), ("DataProtection:PreviousCertificatePaths", EncryptedKeysApp.Certificate)))
        {
            rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText).ShouldBe("hello");
        }

        // Without the certificate, the database alone opens nothing.
        await using var without = Fresh(app, ("DataProtection:CertificatePath", ""));
        Should.Throw<CryptographicException>(() => without.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
        without.Services.GetRequiredService<ICrmSecrets>().Unprotect(tenant, crmSecrets).ShouldBeNull();
    }

    [Fact]
    public void A_missing_certificate_or_a_wrong_password_stops_the_app_at_start_with_a_clear_message()
    {
        using var missing = Fresh(app, ("DataProtection:CertificatePath", "/nowhere/tls.crt"));
        Should.Throw<Exception>(() => missing.Services).ToString().ShouldContain("DataProtection:CertificatePath: there is no file at /nowhere/tls.crt");

        using var wrong = Fresh(app, ("DataProtection:CertificatePassword", "not it"));
        var refused = Should.Throw<Exception>(() => wrong.Services).ToString();
        refused.ShouldContain("could not be read");
        refused.ShouldNotContain("not it");
    }
}

/// <summary>Production without the certificate: the app does not start, and says why.</summary>
public class ProductionWithoutKeyCertificateTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public void A_production_process_without_a_certificate_refuses_to_start()
    {
        using var without = app.WithWebHostBuilder(builder => builder.UseSetting("DataProtection:CertificatePath", ""));
        Should.Throw<Exception>(() => without.Services).ToString().ShouldContain("DataProtection:CertificatePath is required in Production");
    }
}
