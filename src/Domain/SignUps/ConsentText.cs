using System.Security.Cryptography;
using System.Text;

namespace CustomerInfo.Domain.SignUps;

public static class ConsentText
{
    /// <summary>
    /// A short, stable id of the exact words shown: the same text always has the same version,
    /// and any change of wording, however small, gives a new one.
    /// </summary>
    public static string VersionOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
