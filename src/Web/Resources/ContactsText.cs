namespace CustomerInfo.Web.Resources;

/// <summary>The text of the admin's contact pages (ContactsText.resx, ContactsText.nl.resx), read through IStringLocalizer&lt;ContactsText&gt;.</summary>
public sealed class ContactsText;
