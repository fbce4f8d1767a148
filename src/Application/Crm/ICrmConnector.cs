namespace CustomerInfo.Application.Crm;

/// <summary>
/// The one port every CRM and email tool sits behind (issue 12). A connector is one class in
/// Infrastructure plus its registration (<c>services.AddCrmConnector&lt;T&gt;()</c>); the push
/// pipeline, the settings page and the tests know connectors only through this interface.
/// A connector never throws for what the CRM answers: every answer becomes a <see cref="CrmResult"/>,
/// so a CRM that answers HTML, 10 MB or nothing at all is a failed push with its reason, never a
/// crashed worker. It throws only when it is cancelled.
/// </summary>
public interface ICrmConnector
{
    /// <summary>What the settings page shows and which settings the connection needs.</summary>
    CrmConnectorInfo Info { get; }

    /// <summary>
    /// Checks the settings as typed, before any call: what is missing or malformed, and for a webhook
    /// a URL that is not allowed (plain HTTP or a private address in Production). Empty: fine.
    /// </summary>
    IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings);

    /// <summary>Checks the credentials (and the list, where one is chosen) with one cheap call.</summary>
    Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken);

    /// <summary>The CRM's fields (for mapping) and lists (to subscribe to), as the CRM lists them now.</summary>
    Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or updates each contact, keyed by email (or what the CRM keys by), in as few calls as
    /// the CRM allows (at most <see cref="CrmConnectorInfo.MaxBatchSize"/> contacts are passed at once).
    /// Returns one result per contact, in the same order: every sign-up's outcome stays its own.
    /// Sending the same contact twice makes one record.
    /// </summary>
    Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken);

    /// <summary>
    /// Folds the CRM records of contacts we found to be the same shopper into the survivor's record,
    /// where the CRM can (<see cref="CrmConnectorInfo.CanMerge"/>); elsewhere the pipeline upserts the survivor only.
    /// </summary>
    Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken);

    /// <summary>Erases one shopper in the CRM for good, where the CRM can (<see cref="CrmConnectorInfo.CanErase"/>).</summary>
    Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken);
}

/// <summary>
/// A connector as the settings page offers it. <see cref="Kind"/> is the stable key stored with a
/// connection ("webhook", "hubspot", …); <see cref="Settings"/> are the fields the retailer fills in.
/// </summary>
public sealed record CrmConnectorInfo(
    string Kind,
    string DisplayName,
    IReadOnlyList<CrmSettingField> Settings,
    int MaxBatchSize,
    bool CanMerge,
    bool CanErase,
    bool MapsFields,
    bool HasLists);

/// <summary>
/// One setting of a connection. A <see cref="Secret"/> one (a token, an API key) is encrypted at rest,
/// never shown back in full and never logged. A <see cref="Generated"/> one (the webhook's signing
/// secret) is made by us and shown once.
/// </summary>
public sealed record CrmSettingField(string Key, CrmSettingKind Kind, bool Required, bool Secret = false, bool Generated = false)
{
    /// <summary>A new signing secret in the Standard Webhooks form: "whsec_" and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

/// <summary>What is wrong with one setting; the settings page words it in the retailer's language.</summary>
public sealed record CrmSettingError(string Key, CrmSettingProblem Problem);

public enum CrmSettingProblem
{
    Missing,
    Malformed,
    InvalidUrl,

    /// <summary>In Production a webhook must be HTTPS on port 443 (what the NetworkPolicy lets out).</summary>
    NotHttps,

    /// <summary>The host is (or resolves to) a private, loopback or link-local address.</summary>
    PrivateAddress,
}

public enum CrmSettingKind
{
    Text,
    Url,
    Token,

    /// <summary>Chosen from <see cref="CrmCatalog.Lists"/> once the credentials work.</summary>
    List,
}

/// <summary>
/// What a connector works with for one call: the tenant's connection with its settings decrypted
/// (secrets included, so a <see cref="CrmTarget"/> is never logged or stored) and its field mapping.
/// </summary>
public sealed record CrmTarget(Guid TenantId, Guid ConnectionId, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<CrmFieldMapping> Mapping)
{
    public string? Setting(string key) => Settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Never the settings: a target printed into a log or an exception shows ids only.</summary>
    public override string ToString() => $"CrmTarget {{ TenantId = {TenantId}, ConnectionId = {ConnectionId} }}";
}

/// <summary>
/// Sends our field <see cref="Source"/> (one of <see cref="CrmSources"/>, or <c>q:{question key}</c>
/// for the store's own questions) to the CRM's field <see cref="Target"/> (a HubSpot property name,
/// a Mailchimp merge tag, a Klaviyo attribute or custom property).
/// </summary>
public sealed record CrmFieldMapping(string Source, string Target);

/// <summary>Our side of a field mapping: the built-in fields, and the store's questions by key.</summary>
public static class CrmSources
{
    public const string FirstName = "firstName";
    public const string LastName = "lastName";
    public const string Phone = "phone";
    public const string Birthday = "birthday";
    public const string PostalCode = "postalCode";
    public const string Store = "store";

    /// <summary>
    /// The shopper's current email-marketing consent as text: "true" while given, "false" once withdrawn,
    /// nothing (the CRM's value is left alone) when it was never given, and nothing when it is not a new act
    /// (<see cref="CrmConsent.IsNew"/>), so a workflow that cleared it on an unsubscribe is not undone. For CRMs
    /// that carry consent in a field of the retailer's choosing (HubSpot); the others have their own subscription calls.
    /// </summary>
    public const string EmailConsent = "emailConsent";

    /// <summary>The same as <see cref="EmailConsent"/> for text messages.</summary>
    public const string SmsConsent = "smsConsent";

    public const string QuestionPrefix = "q:";

    public static readonly IReadOnlyList<string> BuiltIn = [FirstName, LastName, Phone, Birthday, PostalCode, Store, EmailConsent, SmsConsent];

    public static string Question(string key) => QuestionPrefix + key;
}

/// <summary>A field the CRM has, as it lists it: its key, its label, and its type in the CRM's words.</summary>
public sealed record CrmField(string Key, string Label, string Type, bool Required = false, bool ReadOnly = false);

/// <summary>A list (audience) the CRM has, and whether it asks new subscribers to confirm (double opt-in).</summary>
public sealed record CrmList(string Id, string Name, bool? DoubleOptIn);

public sealed record CrmCatalog(IReadOnlyList<CrmField> Fields, IReadOnlyList<CrmList> Lists);

public sealed record CrmCatalogResult(CrmResult Result, CrmCatalog? Catalog);
