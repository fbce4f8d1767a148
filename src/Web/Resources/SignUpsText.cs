namespace CustomerInfo.Web.Resources;

/// <summary>The text of the admin's sign-up pages and export (SignUpsText.resx, SignUpsText.nl.resx), read through IStringLocalizer&lt;SignUpsText&gt;.</summary>
public sealed class SignUpsText;
