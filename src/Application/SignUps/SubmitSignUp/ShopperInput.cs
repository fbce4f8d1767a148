using System.Net.Mail;
using PhoneNumbers;

namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>How what a shopper typed is checked and normalised, shared by the validator and the handler.</summary>
public static class ShopperInput
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 32;
    public const int PostalCodeMaxLength = 12;
    public const int AnswerMaxLength = 500;

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Control characters and the replacement character (left by invalid UTF-8) cannot be shown back.</summary>
    public static bool IsPrintable(string? value) => value is null || !value.Any(c => char.IsControl(c) || c == '\uFFFD');

    public static bool IsEmail(string? value)
    {
        var email = Clean(value);
        if (email is null || email.Length > EmailMaxLength || email.Any(char.IsWhiteSpace) || !IsPrintable(email))
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        return at > 0 && at < email.Length - 1
            && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.')
            && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
    }

    /// <summary>The number in E.164 (+31612345678), or null when it is not a valid number for <paramref name="country"/>.</summary>
    public static string? ToE164(string? value, string country)
    {
        var phone = Clean(value);
        if (phone is null || phone.Length > PhoneMaxLength)
        {
            return null;
        }

        try
        {
            var number = Phones.Parse(phone, country);
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static bool IsPostalCode(string? value)
    {
        var code = Clean(value);
        return code is null || (code.Length <= PostalCodeMaxLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'));
    }

    /// <summary>A day and month that exist (29 February only in a leap year when a year is given).</summary>
    public static bool IsBirthday(int? day, int? month, int? year, DateTimeOffset today)
    {
        if (day is null && month is null && year is null)
        {
            return true;
        }

        if (day is not { } d || month is not { } m || m is < 1 or > 12 || d < 1)
        {
            return false;
        }

        if (year is { } y && (y < today.Year - 120 || y > today.Year))
        {
            return false;
        }

        return d <= DateTime.DaysInMonth(year ?? 2000, m) && (year is null || new DateTime(year.Value, m, d) <= today.Date);
    }
}
