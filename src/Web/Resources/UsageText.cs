namespace CustomerInfo.Web.Resources;

/// <summary>The text of the billing page's usage card (UsageText.resx, UsageText.nl.resx), read through IStringLocalizer&lt;UsageText&gt;.</summary>
public sealed class UsageText;
