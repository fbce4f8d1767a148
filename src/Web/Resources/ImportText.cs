namespace CustomerInfo.Web.Resources;

/// <summary>The text of the import pages (ImportText.resx, ImportText.nl.resx), read through IStringLocalizer&lt;ImportText&gt;.</summary>
public sealed class ImportText;
