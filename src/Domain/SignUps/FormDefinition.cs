namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// What a store's sign-up form asks and says: one per tenant, versioned, so every sign-up records
/// the version (and so the exact wording) the shopper saw.
/// </summary>
public sealed record FormDefinition
{
    /// <summary>The one definition of a tenant; Marten keys it per tenant (conjoined tenancy).</summary>
    public const string CurrentId = "current";

    public string Id { get; init; } = CurrentId;

    public int Version { get; init; } = 1;

    /// <summary>Language of the form until the shopper switches: "en" or "nl".</summary>
    public string DefaultLanguage { get; init; } = "en";

    /// <summary>ISO 3166 country whose numbering plan local phone numbers follow (e.g. "NL").</summary>
    public string Country { get; init; } = "NL";

    public IReadOnlyList<BuiltInFieldSetting> Fields { get; init; } = [];

    public IReadOnlyList<CustomQuestion> Questions { get; init; } = [];

    public LocalizedText EmailConsent { get; init; } = LocalizedText.Empty;

    public LocalizedText SmsConsent { get; init; } = LocalizedText.Empty;

    public Branding Branding { get; init; } = new();

    /// <summary>Kiosk links: the store locations a tablet's link may name.</summary>
    public IReadOnlyList<StoreLocation> Locations { get; init; } = [];

    /// <summary>Seconds the thank-you screen shows before the form is empty again.</summary>
    public int ThankYouSeconds { get; init; } = 8;

    /// <summary>Seconds without input before a half-filled form warns, then clears.</summary>
    public int IdleSeconds { get; init; } = 60;

    public FieldRequirement RequirementOf(BuiltInField field) =>
        Fields.FirstOrDefault(f => f.Field == field)?.Requirement ?? FieldRequirement.Hidden;

    public StoreLocation? FindLocation(string? key) =>
        string.IsNullOrEmpty(key) ? null : Locations.FirstOrDefault(l => string.Equals(l.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The form a store starts with until its owner changes it.</summary>
    public static FormDefinition StarterFor(string storeName) => new()
    {
        Fields =
        [
            new(BuiltInField.FirstName, FieldRequirement.Required),
            new(BuiltInField.LastName, FieldRequirement.Optional),
            new(BuiltInField.Email, FieldRequirement.Required),
            new(BuiltInField.Phone, FieldRequirement.Optional),
            new(BuiltInField.Birthday, FieldRequirement.Hidden),
            new(BuiltInField.PostalCode, FieldRequirement.Hidden),
        ],
        EmailConsent = new(new Dictionary<string, string>
        {
            ["en"] = $"Yes, {storeName} may email me news and offers. I can unsubscribe at any time.",
            ["nl"] = $"Ja, {storeName} mag mij nieuws en aanbiedingen e-mailen. Ik kan me altijd afmelden.",
        }),
        SmsConsent = new(new Dictionary<string, string>
        {
            ["en"] = $"Yes, {storeName} may text me offers. I can stop at any time by replying STOP.",
            ["nl"] = $"Ja, {storeName} mag mij aanbiedingen sms'en. Ik kan altijd stoppen door STOP te antwoorden.",
        }),
        Branding = new()
        {
            Welcome = new(new Dictionary<string, string>
            {
                ["en"] = $"Join {storeName} and be the first to hear about offers and news.",
                ["nl"] = $"Meld je aan bij {storeName} en hoor als eerste over aanbiedingen en nieuws.",
            }),
            ThankYou = new(new Dictionary<string, string>
            {
                ["en"] = "Thank you! You're signed up.",
                ["nl"] = "Bedankt! Je bent aangemeld.",
            }),
        },
    };
}

public enum BuiltInField
{
    FirstName,
    LastName,
    Email,
    Phone,
    Birthday,
    PostalCode,
}

public enum FieldRequirement
{
    Hidden,
    Optional,
    Required,
}

public enum QuestionKind
{
    ShortText,
    SingleChoice,
    MultipleChoice,
    YesNo,
}

public sealed record BuiltInFieldSetting(BuiltInField Field, FieldRequirement Requirement);

/// <summary>A retailer's own question. <see cref="Key"/> is stable across wording changes.</summary>
public sealed record CustomQuestion(string Key, QuestionKind Kind, FieldRequirement Requirement, LocalizedText Label, IReadOnlyList<ChoiceOption> Options)
{
    public const string Yes = "yes";
    public const string No = "no";

    /// <summary>The answer keys a shopper may give: the options, or yes/no.</summary>
    public IEnumerable<string> AllowedValues => Kind == QuestionKind.YesNo ? [Yes, No] : Options.Select(o => o.Key);
}

public sealed record ChoiceOption(string Key, LocalizedText Label);

public sealed record StoreLocation(string Key, string Name);

public sealed record Branding
{
    public LocalizedText Welcome { get; init; } = LocalizedText.Empty;

    public LocalizedText ThankYou { get; init; } = LocalizedText.Empty;

    /// <summary>The store's uploaded logo; null shows the name instead.</summary>
    public BrandLogo? Logo { get; init; }

    /// <summary>Buttons and header, as #rrggbb.</summary>
    public string PrimaryColor { get; init; } = "#1f5f8b";

    /// <summary>Page background, as #rrggbb.</summary>
    public string BackgroundColor { get; init; } = "#f5f7fa";
}

/// <summary>
/// An uploaded logo, decoded and re-encoded (no metadata), stored in PostgreSQL, and served under a
/// path that changes with its content, so it can be cached for a year. Width and height are those the
/// kiosk shows it at, in CSS pixels, so the page does not move when it loads.
/// </summary>
public sealed record BrandLogo(string Fingerprint, int Width, int Height)
{
    public const string PathPrefix = "/brand/logo/";

    /// <summary>The same logo at twice the pixels, for high-density screens; null when the upload was too small for it.</summary>
    public string? HiDpiFingerprint { get; init; }

    public string Path => PathPrefix + Fingerprint;

    /// <summary>The img element's srcset: the 2× rendition, or null.</summary>
    public string? SrcSet => HiDpiFingerprint is null ? null : $"{PathPrefix}{HiDpiFingerprint} 2x";
}

/// <summary>Text in several languages; falls back to English, then to any language there is.</summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Values)
{
    public static readonly LocalizedText Empty = new(new Dictionary<string, string>());

    public string In(string language) =>
        Values.TryGetValue(language, out var text) ? text
        : Values.TryGetValue("en", out var english) ? english
        : Values.Values.FirstOrDefault() ?? "";

    public bool IsEmpty => Values.Count == 0 || Values.Values.All(string.IsNullOrWhiteSpace);
}
