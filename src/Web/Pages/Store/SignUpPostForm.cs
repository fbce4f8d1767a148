using System.ComponentModel;
using System.Globalization;
using CustomerInfo.Application.SignUps.SubmitSignUp;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The kiosk's posted form read into the page's command, as MVC's model binding would bind it, for
/// <see cref="SignUpPostMiddleware"/> (ADR 35). Only a form made of the page's own fields is read:
/// <c>Command.*</c> by the command's property names (case-insensitive, as binding matches them), the
/// answers as <c>Command.Answers[key]</c>, the antiforgery token and an empty honeypot. Anything else
/// (another key, a value binding would refuse or explain, a filled honeypot, <c>?handler=</c>) reads
/// as null, and the request goes on to the page, which binds and answers it as always.
/// </summary>
public static class SignUpPostForm
{
    private const string Prefix = KioskPage.Prefix + ".";
    private const string AnswersPrefix = Prefix + nameof(SubmitSignUpCommand.Answers) + "[";

    private static readonly Dictionary<string, Action<SubmitSignUpCommand, object?>> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        [Prefix + nameof(SubmitSignUpCommand.SubmissionId)] = (c, v) => c.SubmissionId = (Guid?)v,
        [Prefix + nameof(SubmitSignUpCommand.FormVersion)] = (c, v) => c.FormVersion = (int?)v,
        [Prefix + nameof(SubmitSignUpCommand.Language)] = (c, v) => c.Language = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.KioskToken)] = (c, v) => c.KioskToken = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.FilledAt)] = (c, v) => c.FilledAt = (DateTimeOffset?)v,
        [Prefix + nameof(SubmitSignUpCommand.FirstName)] = (c, v) => c.FirstName = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.LastName)] = (c, v) => c.LastName = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.Email)] = (c, v) => c.Email = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.Phone)] = (c, v) => c.Phone = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.BirthdayDay)] = (c, v) => c.BirthdayDay = (int?)v,
        [Prefix + nameof(SubmitSignUpCommand.BirthdayMonth)] = (c, v) => c.BirthdayMonth = (int?)v,
        [Prefix + nameof(SubmitSignUpCommand.BirthdayYear)] = (c, v) => c.BirthdayYear = (int?)v,
        [Prefix + nameof(SubmitSignUpCommand.PostalCode)] = (c, v) => c.PostalCode = (string?)v,
        [Prefix + nameof(SubmitSignUpCommand.EmailConsent)] = (c, v) => c.EmailConsent = (bool)v!,
        [Prefix + nameof(SubmitSignUpCommand.SmsConsent)] = (c, v) => c.SmsConsent = (bool)v!,
    };

    /// <summary>Each property's type, for its type converter: the converters model binding uses.</summary>
    private static readonly Dictionary<string, TypeConverter?> Converters = Properties.Keys.ToDictionary(
        key => key,
        key => typeof(SubmitSignUpCommand).GetProperty(key[Prefix.Length..])!.PropertyType is var type && type != typeof(string) ? TypeDescriptor.GetConverter(type) : null,
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The command and the page handler's <c>lang</c>, or null when the form holds anything the page
    /// should see for itself. <paramref name="culture"/> is the request's, as the form's value provider takes it.
    /// </summary>
    public static (SubmitSignUpCommand Command, string? Lang)? TryRead(IFormCollection form, IQueryCollection query, string tokenField, CultureInfo culture)
    {
        if (query.ContainsKey("handler"))
        {
            return null;
        }

        var command = new SubmitSignUpCommand();
        foreach (var (key, values) in form)
        {
            if (key.Equals(tokenField, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (key.Equals(IndexModel.HoneypotField, StringComparison.OrdinalIgnoreCase))
            {
                // Filled in: a bot, whom the page thanks without storing anything.
                if (!string.IsNullOrWhiteSpace(values[0]))
                {
                    return null;
                }

                continue;
            }

            if (Properties.TryGetValue(key, out var set))
            {
                if (!TryConvert(values[0], Converters[key], culture, out var value))
                {
                    return null;
                }

                set(command, value);
                continue;
            }

            if (AnswerKey(key) is not { } question)
            {
                return null;
            }

            // As binding fills a string[]: every value, a blank one as null.
            var answers = new string[values.Count];
            for (var i = 0; i < values.Count; i++)
            {
                answers[i] = string.IsNullOrWhiteSpace(values[i]) ? null! : values[i]!;
            }

            command.Answers[question] = answers;
        }

        // The handler's lang: from the query (the form has no such key, or it was refused above), blank as null.
        var lang = query["lang"] is { Count: > 0 } asked && !string.IsNullOrWhiteSpace(asked[0]) ? asked[0] : null;
        return (command, lang);
    }

    /// <summary>
    /// The key of <c>Command.Answers[key]</c>. A key with brackets or dots in it, or all digits
    /// (binding would read <c>[0]</c> as a list index), is left to the page.
    /// </summary>
    private static string? AnswerKey(string key)
    {
        if (!key.StartsWith(AnswersPrefix, StringComparison.OrdinalIgnoreCase) || key.Length <= AnswersPrefix.Length + 1 || key[^1] != ']')
        {
            return null;
        }

        var question = key[AnswersPrefix.Length..^1];
        return question.AsSpan().IndexOfAny("[].") < 0 && !question.All(char.IsAsciiDigit) ? question : null;
    }

    /// <summary>
    /// As MVC's simple-type binder: a blank value is null (an error for a bool, which the page then
    /// explains), a string is kept as sent, anything else goes through its type converter, whose
    /// failure the page explains.
    /// </summary>
    private static bool TryConvert(string? raw, TypeConverter? converter, CultureInfo culture, out object? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            // Null for every nullable property; a bool cannot be null, which binding reports as an error.
            return converter is not BooleanConverter;
        }

        if (converter is null)
        {
            value = raw;
            return true;
        }

        try
        {
            value = converter.ConvertFrom(null, culture, raw);
            return value is not null;
        }
        catch (Exception)
        {
            // Binding turns any converter failure into an error on the field.
            return false;
        }
    }
}
