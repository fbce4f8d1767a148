using System.Globalization;
using System.Text;

namespace CustomerInfo.Application.Import;

/// <summary>
/// The mapping the page suggests, guessed from the header names in English and Dutch (version 1's
/// export and the usual spreadsheet headers). Each field is guessed for one column at most; the
/// Manager can change every choice.
/// </summary>
public static class ImportColumns
{
    private static readonly (ImportField Field, string[] Names)[] Known =
    [
        (ImportField.FirstName, ["first name", "firstname", "given name", "forename", "voornaam", "roepnaam"]),
        (ImportField.LastName, ["last name", "lastname", "surname", "family name", "achternaam", "familienaam", "naam"]),
        (ImportField.Email, ["email", "e-mail", "email address", "e-mail address", "e-mailadres", "emailadres", "mail"]),
        (ImportField.Phone, ["phone", "phone number", "telephone", "mobile", "mobile phone", "telefoon", "telefoonnummer", "mobiel", "mobiel nummer", "gsm", "tel"]),
        (ImportField.Birthday, ["birthday", "birth date", "date of birth", "birthdate", "dob", "geboortedatum", "verjaardag"]),
        (ImportField.PostalCode, ["postal code", "postcode", "zip", "zip code", "zipcode", "post code"]),
        (ImportField.EmailConsentDate, ["email consent date", "e-mail consent date", "email opt-in date", "toestemming e-mail datum", "datum toestemming e-mail", "e-mail toestemming datum", "nieuwsbrief datum"]),
        (ImportField.EmailConsent, ["email consent", "e-mail consent", "email opt-in", "newsletter", "toestemming e-mail", "e-mail toestemming", "nieuwsbrief"]),
        (ImportField.SmsConsentDate, ["sms consent date", "sms opt-in date", "toestemming sms datum", "datum toestemming sms", "sms toestemming datum"]),
        (ImportField.SmsConsent, ["sms consent", "sms opt-in", "toestemming sms", "sms toestemming", "sms"]),
        (ImportField.SignedUpAt, ["signed up", "signed up at", "signed-up date", "sign-up date", "signup date", "created", "created at", "date", "aangemeld", "aangemeld op", "inschrijfdatum", "datum aanmelding", "datum"]),
        (ImportField.Store, ["store", "shop", "location", "winkel", "filiaal", "vestiging", "locatie"]),
    ];

    public static IReadOnlyList<ImportField> Guess(IReadOnlyList<string> headers)
    {
        var mapping = new ImportField[headers.Count];
        var taken = new HashSet<ImportField>();
        var keys = headers.Select(Key).ToArray();
        foreach (var (field, names) in Known)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (mapping[i] == ImportField.Ignore && !taken.Contains(field) && names.Contains(keys[i]))
                {
                    mapping[i] = field;
                    taken.Add(field);
                }
            }
        }

        return mapping;
    }

    /// <summary>A header as it is compared: lower-case, without accents, with '_' and runs of spaces as one space.</summary>
    public static string Key(string? header)
    {
        var decomposed = (header ?? "").Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var next = c is '_' or '.' or ':' ? ' ' : c;
            if (next == ' ' && (kept.Length == 0 || kept[^1] == ' '))
            {
                continue;
            }

            kept.Append(next);
        }

        return kept.ToString().TrimEnd();
    }
}
