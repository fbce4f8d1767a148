using System.Globalization;
using System.Resources;
using CustomerInfo.Application.Common;

namespace CustomerInfo.Web.Resources;

/// <summary>
/// The messages of the use cases' validators, which are written in English, in the page's language:
/// the English message is the key (ValidationText.resx, ValidationText.nl.resx). A message with no
/// entry is shown as it is. Read through the ResourceManager itself, not IStringLocalizer, whose
/// debug log would write every message (examples of addresses and numbers included) into the logs.
/// </summary>
public sealed class ValidationText
{
    private static readonly ResourceManager Resources = new(typeof(ValidationText).FullName!, typeof(ValidationText).Assembly);

    /// <summary>A failure's message in the page's language; one with numbers (<see cref="MessageTemplate"/>) is looked up first, then formatted.</summary>
    public static string For(FluentValidation.Results.ValidationFailure failure) =>
        failure.CustomState is MessageTemplate template
            ? string.Format(CultureInfo.CurrentCulture, For(template.Template), template.Arguments)
            : For(failure.ErrorMessage);

    public static string For(string message) =>
        string.IsNullOrEmpty(message) ? message : Resources.GetString(message, CultureInfo.CurrentUICulture) ?? message;
}
