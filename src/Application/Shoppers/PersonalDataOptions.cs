namespace CustomerInfo.Application.Shoppers;

/// <summary>
/// <c>PersonalData:IndexKey</c>: the secret from which each store's contact-index key is derived
/// (ADR 10). Base64 of at least 32 random bytes. Required in Production; other environments fall
/// back to <see cref="DevelopmentIndexKey"/>, which is public and protects nothing.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string Section = "PersonalData";

    /// <summary>For local runs and tests only: it is in the source code, so it hides nothing.</summary>
    public const string DevelopmentIndexKey = "ZGV2ZWxvcG1lbnQtb25seS1pbmRleC1rZXktbm90LWEtc2VjcmV0";

    public string? IndexKey { get; set; }
}
