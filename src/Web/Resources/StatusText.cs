namespace CustomerInfo.Web.Resources;

/// <summary>The text of the status pages (StatusText.resx, StatusText.nl.resx), read through IStringLocalizer&lt;StatusText&gt;.</summary>
public sealed class StatusText;
