namespace CustomerInfo.Web.Resources;

/// <summary>The text of the apex pricing page (PricingText.resx, PricingText.nl.resx), read through IStringLocalizer&lt;PricingText&gt;.</summary>
public sealed class PricingText;
