namespace CustomerInfo.Application.Crm;

/// <summary>The <c>Crm</c> configuration section (docs/configuration.md).</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";

    /// <summary>
    /// Lets webhook URLs point at private, loopback and link-local addresses and use plain HTTP on
    /// any port. Off in Production (SSRF and DNS rebinding, issue 12 §4); tests and Development set it.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long one call to a CRM may take before it counts as "no answer" and is retried.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Attempts per push before the sign-up shows "failed" (a Manager can retry it then).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay; each next one doubles it (with jitter), up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int FirstRetryDelaySeconds { get; set; } = 10;

    public int MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>Where each vendor's API is; the tests point them at loopback fakes.</summary>
    public string HubSpotBaseUrl { get; set; } = "https://api.hubapi.com";

    /// <summary>Mailchimp's API is per data centre: <c>{dc}</c> is replaced by the API key's suffix (e.g. us21).</summary>
    public string MailchimpBaseUrl { get; set; } = "https://{dc}.api.mailchimp.com";

    public string KlaviyoBaseUrl { get; set; } = "https://a.klaviyo.com";
}
