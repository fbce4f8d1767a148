namespace CustomerInfo.Web.Resources;

/// <summary>The text of a canceled tenant's read-only admin (LeavingText.resx, LeavingText.nl.resx), read through IStringLocalizer&lt;LeavingText&gt;.</summary>
public sealed class LeavingText;
