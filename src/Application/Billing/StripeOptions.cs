namespace CustomerInfo.Application.Billing;

/// <summary>
/// The <c>Stripe</c> configuration section. Production refuses to start without both keys or with
/// <see cref="ApiBase"/> set; Development without keys starts the loopback Stripe fake and points
/// <see cref="ApiBase"/> at it.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary><c>sk_live_…</c> / <c>sk_test_…</c>.</summary>
    public string SecretKey { get; set; } = string.Empty;

    /// <summary>The webhook endpoint's signing secret, <c>whsec_…</c>.</summary>
    public string WebhookSecret { get; set; } = string.Empty;

    /// <summary>Where Stripe's API is; null: Stripe's own. Tests and Development set the fake's address.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Seconds one Stripe call may take.</summary>
    public int TimeoutSeconds { get; set; } = 20;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey) && !string.IsNullOrWhiteSpace(WebhookSecret);
}
