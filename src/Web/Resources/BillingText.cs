namespace CustomerInfo.Web.Resources;

/// <summary>The text of the billing pages (BillingText.resx, BillingText.nl.resx), read through IStringLocalizer&lt;BillingText&gt;.</summary>
public sealed class BillingText;
