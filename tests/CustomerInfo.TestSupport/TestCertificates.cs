using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CustomerInfo.TestSupport;

/// <summary>Self-signed RSA certificates written to temporary files, as a Kubernetes Secret would mount them.</summary>
public static class TestCertificates
{
    /// <summary>A PFX file protected by <paramref name="password"/>; returns its path.</summary>
    public static string Pfx(string password, string name = "dataprotection")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.pfx");
        using var certificate = New(name, out _);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>A PEM file holding the certificate and its private key; returns its path.</summary>
    public static string Pem(string name = "dataprotection")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.pem");
        using var certificate = New(name, out var key);
        using (key)
        {
            File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return path;
    }

    private static X509Certificate2 New(string name, out RSA key)
    {
        key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
