using System.Security.Cryptography;
using System.Text.Json;
using CustomerInfo.Application.Crm;
using Microsoft.AspNetCore.DataProtection;

namespace CustomerInfo.Infrastructure.Crm;

/// <summary>
/// A connection's secrets as one Data Protection ciphertext, with a purpose per tenant: a ciphertext
/// copied into another tenant's connection does not open there.
/// </summary>
internal sealed class DataProtectionCrmSecrets(IDataProtectionProvider provider) : ICrmSecrets
{
    public string Protect(Guid tenantId, IReadOnlyDictionary<string, string> secrets) =>
        Protector(tenantId).Protect(JsonSerializer.Serialize(secrets));

    public IReadOnlyDictionary<string, string>? Unprotect(Guid tenantId, string protectedSecrets)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(Protector(tenantId).Unprotect(protectedSecrets));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector Protector(Guid tenantId) => provider.CreateProtector("CustomerInfo.Crm.Secrets", tenantId.ToString("N"));
}
