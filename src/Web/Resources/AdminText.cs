namespace CustomerInfo.Web.Resources;

/// <summary>The text of the retailer's admin and account pages (AdminText.resx, AdminText.nl.resx), read through IStringLocalizer&lt;AdminText&gt;.</summary>
public sealed class AdminText;
