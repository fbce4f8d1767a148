namespace CustomerInfo.Web.Resources;

/// <summary>The text of the CRM connection page (CrmText.resx, CrmText.nl.resx), read through IStringLocalizer&lt;CrmText&gt;.</summary>
public sealed class CrmText;
