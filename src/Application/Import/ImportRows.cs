using System.Globalization;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Import;

/// <summary>What one row is read against: the form's country (phone numbers), the stores by name, the retailer's time zone, today.</summary>
public sealed record ImportRowContext(string Country, IReadOnlyDictionary<string, Guid> StoresByName, TimeZoneInfo TimeZone, DateTimeOffset Now);

/// <summary>A row as it will be imported: the shopper normalised as the kiosk does, and the dates the file gave.</summary>
public sealed record ImportRow(Shopper Shopper, DateTimeOffset? EmailConsentGivenAt, DateTimeOffset? SmsConsentGivenAt, DateTimeOffset? SignedUpAt, Guid? StoreId);

/// <summary>A row read: the row to import, or why not (every problem found, in column order).</summary>
public sealed record ImportRowResult(ImportRow? Row, IReadOnlyList<(ImportField Field, ImportProblem Problem)> Problems);

/// <summary>
/// The import's row rules, pure. Names, email, phone (with the form's country) and postal code
/// are checked and normalised by <see cref="ShopperInput"/>, the kiosk's own rules; a row needs an
/// email or a phone, as a sign-up does. Consent counts only when its column says yes AND its date
/// column gives the day it was given: yes without a date is an error, not a guess.
/// Dates are day-first (25-12-1980, 25/12/1980, 25.12.1980) or ISO (1980-12-25), optionally with a time.
/// </summary>
public static class ImportRows
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "d-M-yyyy", "d/M/yyyy", "d.M.yyyy",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss",
        "d-M-yyyy H:mm", "d-M-yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss",
    ];

    private static readonly string[] Yes = ["yes", "y", "ja", "j", "true", "1", "x", "waar"];
    private static readonly string[] No = ["no", "n", "nee", "false", "0", "onwaar"];

    public static ImportRowResult Read(IReadOnlyList<string?> cells, IReadOnlyList<ImportField> mapping, ImportRowContext context)
    {
        string? Cell(ImportField field)
        {
            var column = IndexOf(mapping, field);
            return column >= 0 && column < cells.Count ? ShopperInput.Clean(cells[column]) : null;
        }

        var problems = new List<(ImportField, ImportProblem)>();
        var firstName = NameOf(ImportField.FirstName, Cell(ImportField.FirstName), problems);
        var lastName = NameOf(ImportField.LastName, Cell(ImportField.LastName), problems);

        var email = ShopperInput.Email(Cell(ImportField.Email));
        if (email is not null && !ShopperInput.IsEmail(email))
        {
            problems.Add((ImportField.Email, ImportProblem.EmailInvalid));
            email = null;
        }

        string? phone = null;
        if (Cell(ImportField.Phone) is { } typedPhone && (phone = ShopperInput.ToE164(typedPhone, context.Country)) is null)
        {
            problems.Add((ImportField.Phone, ImportProblem.PhoneInvalid));
        }

        Birthday? birthday = null;
        if (Cell(ImportField.Birthday) is { } typedBirthday)
        {
            if (ParseDate(typedBirthday) is { } day && ShopperInput.IsBirthday(day.Day, day.Month, day.Year, context.Now))
            {
                birthday = new Birthday(day.Day, day.Month, day.Year);
            }
            else
            {
                problems.Add((ImportField.Birthday, ImportProblem.BirthdayInvalid));
            }
        }

        var postalCode = Cell(ImportField.PostalCode);
        if (!ShopperInput.IsPostalCode(postalCode))
        {
            problems.Add((ImportField.PostalCode, ImportProblem.PostalCodeInvalid));
        }

        var emailConsent = Consent(ImportField.EmailConsent, ImportField.EmailConsentDate, Cell(ImportField.EmailConsent), Cell(ImportField.EmailConsentDate), context, problems);
        var smsConsent = Consent(ImportField.SmsConsent, ImportField.SmsConsentDate, Cell(ImportField.SmsConsent), Cell(ImportField.SmsConsentDate), context, problems);
        if (emailConsent is not null && email is null && !problems.Exists(p => p.Item1 == ImportField.Email))
        {
            problems.Add((ImportField.EmailConsent, ImportProblem.ConsentNeedsEmail));
        }

        if (smsConsent is not null && phone is null && !problems.Exists(p => p.Item1 == ImportField.Phone))
        {
            problems.Add((ImportField.SmsConsent, ImportProblem.ConsentNeedsPhone));
        }

        DateTimeOffset? signedUpAt = null;
        if (Cell(ImportField.SignedUpAt) is { } typedSignedUp && (signedUpAt = InstantOf(typedSignedUp, context)) is null)
        {
            problems.Add((ImportField.SignedUpAt, ImportProblem.SignedUpAtInvalid));
        }

        Guid? storeId = null;
        if (Cell(ImportField.Store) is { } storeName)
        {
            if (context.StoresByName.TryGetValue(storeName, out var id))
            {
                storeId = id;
            }
            else
            {
                problems.Add((ImportField.Store, ImportProblem.StoreUnknown));
            }
        }

        if (email is null && phone is null && !problems.Exists(p => p.Item1 is ImportField.Email or ImportField.Phone))
        {
            problems.Add((IndexOf(mapping, ImportField.Email) >= 0 ? ImportField.Email : ImportField.Phone, ImportProblem.NoEmailOrPhone));
        }

        if (problems.Count > 0)
        {
            return new ImportRowResult(null, problems);
        }

        var shopper = new Shopper(firstName, lastName, email, phone, birthday, postalCode?.ToUpperInvariant());
        return new ImportRowResult(new ImportRow(shopper, emailConsent, smsConsent, signedUpAt, storeId), []);
    }

    /// <summary>A yes/no cell: English or Dutch, any case; null when it is neither.</summary>
    public static bool? YesOrNo(string? value)
    {
        var clean = ShopperInput.Clean(value)?.ToLowerInvariant();
        return clean is null ? false : Yes.Contains(clean) ? true : No.Contains(clean) ? false : null;
    }

    /// <summary>A date in one of the accepted forms (day first, or ISO), with its time when one is given.</summary>
    public static DateTime? ParseDate(string? value) =>
        ShopperInput.Clean(value) is { } clean
        && DateTime.TryParseExact(clean, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>A date of the file as an instant: the time given (else the day's start) in the retailer's zone; null when unreadable or in the future.</summary>
    public static DateTimeOffset? InstantOf(string? value, ImportRowContext context)
    {
        if (ParseDate(value) is not { } local || local.Year < 1900)
        {
            return null;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (context.TimeZone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }

        var instant = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, context.TimeZone), TimeSpan.Zero);
        return instant > context.Now ? null : instant;
    }

    private static int IndexOf(IReadOnlyList<ImportField> mapping, ImportField field)
    {
        for (var i = 0; i < mapping.Count; i++)
        {
            if (mapping[i] == field)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? NameOf(ImportField field, string? value, List<(ImportField, ImportProblem)> problems)
    {
        var name = ShopperInput.Name(value);
        if (name is null)
        {
            return null;
        }

        if (name.Length > ShopperInput.NameMaxLength)
        {
            problems.Add((field, ImportProblem.NameTooLong));
        }
        else if (!ShopperInput.IsPrintable(name))
        {
            problems.Add((field, ImportProblem.NameUnprintable));
        }

        return name;
    }

    /// <summary>When consent was given, or null for none: yes needs a readable date that is not in the future.</summary>
    private static DateTimeOffset? Consent(ImportField field, ImportField dateField, string? value, string? date, ImportRowContext context, List<(ImportField, ImportProblem)> problems)
    {
        switch (YesOrNo(value))
        {
            case null:
                problems.Add((field, ImportProblem.ConsentValueInvalid));
                return null;
            case false:
                return null;
        }

        if (date is null)
        {
            problems.Add((dateField, ImportProblem.ConsentDateMissing));
            return null;
        }

        if (InstantOf(date, context) is not { } givenAt)
        {
            problems.Add((dateField, ImportProblem.ConsentDateInvalid));
            return null;
        }

        return givenAt;
    }
}
