using System.Globalization;
using System.Net.Mail;
using System.Text;
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

    /// <summary>
    /// A name as it is kept: without format characters (Unicode category Cf: zero-width spaces and
    /// joiners, bidi overrides, the BOM), in NFC, trimmed; null when nothing visible is left. Format
    /// characters are removed rather than refused: nobody can see them, so a shopper told to take
    /// them out could not; the few that matter in some scripts (ZWJ, ZWNJ) change how letters join,
    /// never which letters a name has.
    /// </summary>
    public static string? Name(string? value) => Clean(Nfc(WithoutFormatCharacters(value)));

    /// <summary>
    /// An email address as it is kept: trimmed, without format characters (see <see cref="Name"/>),
    /// in NFC, with its domain lower-cased and in the Unicode form IDNA gives it (so "Ann@Example.COM"
    /// and "ann@example.com" name one domain, and "bücher.de" stays readable). The local part keeps
    /// the shopper's case: RFC 5321 lets a mail server treat "Ann" and "ann" as two mailboxes, so
    /// lower-casing could send mail to someone else; telling shoppers apart ignores case anyway
    /// (<see cref="Domain.SignUps.ContactKey"/>). Null when nothing is left; <see cref="IsEmail"/> judges the rest.
    /// </summary>
    public static string? Email(string? value)
    {
        var email = Clean(Nfc(WithoutFormatCharacters(value)));
        var at = email?.LastIndexOf('@') ?? -1;
        if (email is null || at <= 0 || at == email.Length - 1)
        {
            return email;
        }

        return DomainOf(email[(at + 1)..]) is { } domain ? email[..(at + 1)] + domain : email;
    }

    /// <summary>Control characters and the replacement character (left by invalid UTF-8, or for a lone surrogate) cannot be shown back.</summary>
    public static bool IsPrintable(string? value)
    {
        foreach (var rune in (value ?? "").EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune == Rune.ReplacementChar)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="value"/>, as <see cref="Email"/> keeps it, is an address mail can be sent to.</summary>
    public static bool IsEmail(string? value)
    {
        var email = Email(value);
        if (email is null || email.Length > EmailMaxLength || email.Any(char.IsWhiteSpace) || !IsPrintable(email))
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        return at > 0 && at < email.Length - 1
            && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.')
            && DomainOf(email[(at + 1)..]) is not null
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

    /// <summary>
    /// The domain lower-cased and checked by IDNA (host-name rules: letters, digits, hyphens), in its
    /// Unicode form; null when it is no domain. Lower-cased first: without ICU (the runtime image runs
    /// in invariant globalization) IdnMapping does not map case itself.
    /// </summary>
    private static string? DomainOf(string domain)
    {
        try
        {
            var idn = new IdnMapping { UseStd3AsciiRules = true };
            return idn.GetUnicode(idn.GetAscii(domain.ToLowerInvariant()));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? WithoutFormatCharacters(string? value)
    {
        if (value is null || !value.EnumerateRunes().Any(r => Rune.GetUnicodeCategory(r) == UnicodeCategory.Format))
        {
            return value;
        }

        var kept = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                kept.Append(rune.ToString());
            }
        }

        return kept.ToString();
    }

    /// <summary>
    /// NFC, so "é" typed as one character or as "e" and a combining accent is one name. A string that
    /// cannot be normalised (a lone surrogate) is returned as it is, for <see cref="IsPrintable"/> to refuse.
    /// Without ICU (invariant globalization) .NET leaves strings as they are.
    /// </summary>
    private static string? Nfc(string? value)
    {
        try
        {
            return value?.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return value;
        }
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
