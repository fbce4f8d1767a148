namespace CustomerInfo.Web.Resources;

/// <summary>The shopper-facing text of the kiosk form (KioskText.resx, KioskText.nl.resx), read through IStringLocalizer&lt;KioskText&gt;.</summary>
public sealed class KioskText;
