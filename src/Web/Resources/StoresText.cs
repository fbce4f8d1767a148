namespace CustomerInfo.Web.Resources;

/// <summary>The text of the stores pages (StoresText.resx, StoresText.nl.resx), read through IStringLocalizer&lt;StoresText&gt;.</summary>
public sealed class StoresText;
