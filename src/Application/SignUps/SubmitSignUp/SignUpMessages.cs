using System.Globalization;
using System.Resources;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>
/// What the sign-up validator tells a shopper, in the form's language (SignUpMessages.resx and its
/// translations). The validator picks the language from the command, not from the thread, so an
/// offline-queued sign-up is judged in the language it was filled in.
/// </summary>
public sealed class SignUpMessages
{
    private static readonly ResourceManager Resources = new(typeof(SignUpMessages));
    private readonly CultureInfo culture;

    private SignUpMessages(CultureInfo culture) => this.culture = culture;

    public static SignUpMessages For(string? language) =>
        new(FormLanguages.IsOffered(language) ? CultureInfo.GetCultureInfo(language) : CultureInfo.InvariantCulture);

    public string FormExpired => Get(nameof(FormExpired));

    public string KioskLinkRevoked => Get(nameof(KioskLinkRevoked));

    public string FirstNameMissing => Get(nameof(FirstNameMissing));

    public string LastNameMissing => Get(nameof(LastNameMissing));

    public string NameTooLong(int limit) => string.Format(culture, Get(nameof(NameTooLong)), limit);

    public string NameUnprintable => Get(nameof(NameUnprintable));

    public string EmailMissing => Get(nameof(EmailMissing));

    public string EmailInvalid => Get(nameof(EmailInvalid));

    public string PhoneMissing => Get(nameof(PhoneMissing));

    public string PhoneInvalid => Get(nameof(PhoneInvalid));

    public string ContactMissing => Get(nameof(ContactMissing));

    public string EmailConsentNeedsEmail => Get(nameof(EmailConsentNeedsEmail));

    public string SmsConsentNeedsPhone => Get(nameof(SmsConsentNeedsPhone));

    public string BirthdayMissing => Get(nameof(BirthdayMissing));

    public string BirthdayInvalid => Get(nameof(BirthdayInvalid));

    public string PostalCodeMissing => Get(nameof(PostalCodeMissing));

    public string PostalCodeInvalid => Get(nameof(PostalCodeInvalid));

    public string AnswerMissing => Get(nameof(AnswerMissing));

    public string AnswerTooLong(int limit) => string.Format(culture, Get(nameof(AnswerTooLong)), limit);

    public string ChoiceInvalid => Get(nameof(ChoiceInvalid));

    private string Get(string name) => Resources.GetString(name, culture) ?? name;
}
