namespace CustomerInfo.Application.Crm;

/// <summary>
/// The tenant's CRM connection: one per tenant (id <see cref="DocumentId"/>), replaced when the
/// retailer switches CRM. <see cref="ConnectionId"/> is new on every connect, so pushes say which
/// connection they went to, and a switch starts pushing "from then on". The settings that are not
/// secret are kept as they are (a webhook URL, a list id); the secret ones are one Data Protection
/// ciphertext (<see cref="ICrmSecrets"/>, a purpose per tenant) with a short hint to show instead.
/// </summary>
public sealed record CrmConnection
{
    /// <summary>The one connection document of a tenant (documents are per tenant, so the id is the same in every tenant).</summary>
    public static readonly Guid DocumentId = new("c7a0a1e2-0000-4000-8000-00000000c12a");

    public Guid Id { get; init; } = DocumentId;

    public Guid ConnectionId { get; init; }

    /// <summary><see cref="CrmConnectorInfo.Kind"/> of the connector.</summary>
    public required string Kind { get; init; }

    /// <summary>The settings that are not secret (<see cref="CrmSettingField.Secret"/> false), by key.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The secret settings as one ciphertext (<see cref="ICrmSecrets.Protect"/>).</summary>
    public string? ProtectedSecrets { get; init; }

    /// <summary>What the page shows of each secret: its last four characters, e.g. "…x9Qa".</summary>
    public IReadOnlyDictionary<string, string> SecretHints { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<CrmFieldMapping> Mapping { get; init; } = [];

    public DateTimeOffset ConnectedAt { get; init; }

    /// <summary>The account that connected it (an id, never a name).</summary>
    public string? ConnectedBy { get; init; }

    /// <summary>False while the retailer has disconnected: sign-ups wait ("not connected") until a connection exists again.</summary>
    public bool Active { get; init; } = true;

    public static string Hint(string secret) => secret.Length <= 4 ? "…" : "…" + secret[^4..];
}

/// <summary>
/// Encrypts a connection's secrets at rest with Data Protection, using a purpose per tenant, so one
/// tenant's ciphertext cannot be opened as another's. The plain values are never stored or logged.
/// </summary>
public interface ICrmSecrets
{
    string Protect(Guid tenantId, IReadOnlyDictionary<string, string> secrets);

    /// <summary>The secrets, or null when the ciphertext is not this tenant's or its key is gone.</summary>
    IReadOnlyDictionary<string, string>? Unprotect(Guid tenantId, string protectedSecrets);
}

/// <summary>Every registered connector, by kind.</summary>
public interface ICrmConnectors
{
    IReadOnlyList<CrmConnectorInfo> All { get; }

    /// <summary>The connector of <paramref name="kind"/>, or null when none is registered under it.</summary>
    ICrmConnector? Find(string kind);
}
