namespace CustomerInfo.Web.Resources;

/// <summary>The text of the branding page (BrandingText.resx, BrandingText.nl.resx), read through IStringLocalizer&lt;BrandingText&gt;.</summary>
public sealed class BrandingText;
