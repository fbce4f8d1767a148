using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// The Data Protection key ring: kept in PostgreSQL (<see cref="MartenXmlRepository"/>) and, with
/// <c>DataProtection:CertificatePath</c>, each key encrypted at rest with that certificate's public
/// key, so reading the database is not enough to read the CRM credentials and cookies the keys
/// protect. Keys written under earlier certificates stay readable while their certificates are
/// listed in <c>DataProtection:PreviousCertificatePaths</c> (rotation). Production refuses to start
/// without a certificate; elsewhere keys are stored as before, in clear (docs/configuration.md).
/// </summary>
internal static class DataProtectionKeyRing
{
    public const string Section = "DataProtection";

    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var builder = services.AddDataProtection().SetApplicationName("CustomerInfo");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((options, store) => options.XmlRepository = new MartenXmlRepository(store));

        var section = configuration.GetSection(Section);
        if (string.IsNullOrWhiteSpace(section["CertificatePath"]))
        {
            if (environment.IsProduction())
            {
                services.AddOptions<KeyRingCheck>()
                    .Validate(_ => false, "DataProtection:CertificatePath is required in Production: Data Protection keys (which protect the CRM credentials and sign-in cookies) must be encrypted at rest. Mount the certificate from its Kubernetes Secret (docs/configuration.md).")
                    .ValidateOnStart();
            }

            return services;
        }

        var current = Load(section["CertificatePath"]!, section["CertificateKeyPath"], section["CertificatePassword"], "DataProtection:CertificatePath");
        var previous = (section["PreviousCertificatePaths"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(path => Load(path, null, section["CertificatePassword"], "DataProtection:PreviousCertificatePaths"));
        builder.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([current, .. previous]);
        return services;
    }

    /// <summary>
    /// A PFX/PKCS#12 file (with <paramref name="password"/>), or a PEM certificate with its private key
    /// in the same file or in <paramref name="keyPath"/> (a Kubernetes TLS Secret's <c>tls.crt</c> and <c>tls.key</c>).
    /// </summary>
    public static X509Certificate2 Load(string path, string? keyPath, string? password, string setting)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting}: there is no file at {path}. Mount the certificate's Secret there, or unset the setting.");
        }

        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password, X509KeyStorageFlags.EphemeralKeySet)
                : X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: the certificate at {path} could not be read (a wrong DataProtection:CertificatePassword, or not a PFX or PEM file with its private key): {e.Message}", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"{setting}: the certificate at {path} needs its RSA private key (a PFX, or a PEM with the key in the same file or in DataProtection:CertificateKeyPath).");
        }

        return certificate;
    }

    /// <summary>Only there to hang the start-up check on.</summary>
    private sealed class KeyRingCheck;
}
