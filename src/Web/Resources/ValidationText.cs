namespace CustomerInfo.Web.Resources;

/// <summary>
/// The messages of the use cases' validators, which are written in English, in the page's language:
/// the English message is the key (ValidationText.resx, ValidationText.nl.resx). A message with no
/// entry is shown as it is.
/// </summary>
public sealed class ValidationText;
