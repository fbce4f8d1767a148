using CustomerInfo.Application.Import;

namespace CustomerInfo.UnitTests.Application.Import;

public class ImportRowsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Centrum = Guid.NewGuid();

    private static readonly ImportField[] Mapping =
    [
        ImportField.FirstName, ImportField.LastName, ImportField.Email, ImportField.Phone, ImportField.Birthday, ImportField.PostalCode,
        ImportField.EmailConsent, ImportField.EmailConsentDate, ImportField.SmsConsent, ImportField.SmsConsentDate, ImportField.SignedUpAt, ImportField.Store,
    ];

    private static readonly ImportRowContext Context = new(
        "NL",
        new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase) { ["Centrum"] = Centrum },
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"),
        Now);

    private static ImportRowResult Read(
        string? first = "Ann", string? last = "Müller", string? email = "ann@example.com", string? phone = null, string? birthday = null, string? postalCode = null,
        string? emailConsent = null, string? emailConsentDate = null, string? smsConsent = null, string? smsConsentDate = null, string? signedUp = null, string? store = null) =>
        ImportRows.Read([first, last, email, phone, birthday, postalCode, emailConsent, emailConsentDate, smsConsent, smsConsentDate, signedUp, store], Mapping, Context);

    private static (ImportField, ImportProblem) Only(ImportRowResult result)
    {
        result.Row.ShouldBeNull();
        return result.Problems.ShouldHaveSingleItem();
    }

    [Fact]
    public void A_good_row_is_normalised_as_the_kiosk_normalises()
    {
        var row = Read(first: "  Ann ", email: " Ann@Example.COM ", phone: "06 12345678", postalCode: "1234 ab", birthday: "25-12-1980").Row.ShouldNotBeNull();

        row.Shopper.FirstName.ShouldBe("Ann");
        row.Shopper.LastName.ShouldBe("Müller");
        row.Shopper.Email.ShouldBe("Ann@example.com");
        row.Shopper.Phone.ShouldBe("+31612345678");
        row.Shopper.PostalCode.ShouldBe("1234 AB");
        row.Shopper.Birthday.ShouldBe(new CustomerInfo.Domain.SignUps.Birthday(25, 12, 1980));
        row.EmailConsentGivenAt.ShouldBeNull();
        row.SmsConsentGivenAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("not-an-email", ImportField.Email, ImportProblem.EmailInvalid)]
    [InlineData("ann@", ImportField.Email, ImportProblem.EmailInvalid)]
    public void A_bad_email_is_refused(string email, ImportField field, ImportProblem problem) =>
        Only(Read(email: email)).ShouldBe((field, problem));

    [Theory]
    [InlineData("12")]
    [InlineData("call me")]
    [InlineData("+1 555")]
    public void A_phone_that_is_no_number_for_the_forms_country_is_refused(string phone) =>
        Only(Read(phone: phone)).ShouldBe((ImportField.Phone, ImportProblem.PhoneInvalid));

    [Theory]
    [InlineData("31-02-1980")]
    [InlineData("soon")]
    [InlineData("25-12-2030")]
    [InlineData("12/25/1980")]
    public void A_birthday_that_is_no_date_is_refused(string birthday) =>
        Only(Read(birthday: birthday)).ShouldBe((ImportField.Birthday, ImportProblem.BirthdayInvalid));

    [Theory]
    [InlineData("25-12-1980")]
    [InlineData("25/12/1980")]
    [InlineData("25.12.1980")]
    [InlineData("1980-12-25")]
    [InlineData("5-1-1980")]
    public void Birthdays_are_read_day_first_or_iso(string birthday)
    {
        var read = Read(birthday: birthday).Row.ShouldNotBeNull().Shopper.Birthday.ShouldNotBeNull();

        (read.Year, read.Month is 12 or 1).ShouldBe((1980, true));
    }

    [Fact]
    public void A_postal_code_with_symbols_is_refused() =>
        Only(Read(postalCode: "12<34>")).ShouldBe((ImportField.PostalCode, ImportProblem.PostalCodeInvalid));

    [Fact]
    public void A_name_too_long_is_refused() =>
        Only(Read(first: new string('a', 101))).ShouldBe((ImportField.FirstName, ImportProblem.NameTooLong));

    [Fact]
    public void A_name_with_control_characters_is_refused() =>
        Only(Read(last: "Ann\u0007")).ShouldBe((ImportField.LastName, ImportProblem.NameUnprintable));

    [Fact]
    public void A_row_without_email_and_phone_is_refused() =>
        Only(Read(email: null, phone: null)).ShouldBe((ImportField.Email, ImportProblem.NoEmailOrPhone));

    [Fact]
    public void A_row_with_a_phone_alone_is_imported() =>
        Read(email: null, phone: "+31 6 12345678").Row.ShouldNotBeNull().Shopper.Phone.ShouldBe("+31612345678");

    [Theory]
    [InlineData("yes", "2024-03-01")]
    [InlineData("Ja", "01-03-2024")]
    [InlineData("j", "1-3-2024 14:30")]
    [InlineData("TRUE", "2024-03-01 14:30:00")]
    [InlineData("1", "01/03/2024")]
    public void Consent_yes_with_a_date_is_consent_given_that_day(string yes, string date)
    {
        var row = Read(emailConsent: yes, emailConsentDate: date).Row.ShouldNotBeNull();

        var given = row.EmailConsentGivenAt.ShouldNotBeNull();
        given.UtcDateTime.Date.ShouldBeOneOf(new DateTime(2024, 2, 29), new DateTime(2024, 3, 1));
        TimeZoneInfo.ConvertTime(given, Context.TimeZone).Date.ShouldBe(new DateTime(2024, 3, 1));
    }

    [Fact]
    public void Consent_yes_without_a_date_is_an_error_not_a_guess() =>
        Only(Read(emailConsent: "yes")).ShouldBe((ImportField.EmailConsentDate, ImportProblem.ConsentDateMissing));

    [Fact]
    public void Consent_yes_with_an_unreadable_date_is_an_error() =>
        Only(Read(smsConsent: "ja", smsConsentDate: "last spring", phone: "0612345678")).ShouldBe((ImportField.SmsConsentDate, ImportProblem.ConsentDateInvalid));

    [Fact]
    public void Consent_dated_in_the_future_is_an_error() =>
        Only(Read(emailConsent: "yes", emailConsentDate: "2027-01-01")).ShouldBe((ImportField.EmailConsentDate, ImportProblem.ConsentDateInvalid));

    [Theory]
    [InlineData("nee")]
    [InlineData("No")]
    [InlineData("n")]
    [InlineData("0")]
    [InlineData("")]
    public void Consent_no_in_english_or_dutch_is_no_consent_whatever_the_date(string no) =>
        Read(emailConsent: no, emailConsentDate: "2024-03-01").Row.ShouldNotBeNull().EmailConsentGivenAt.ShouldBeNull();

    [Fact]
    public void A_consent_cell_that_is_neither_yes_nor_no_is_an_error() =>
        Only(Read(emailConsent: "maybe", emailConsentDate: "2024-03-01")).ShouldBe((ImportField.EmailConsent, ImportProblem.ConsentValueInvalid));

    [Fact]
    public void Sms_consent_needs_a_phone() =>
        Only(Read(smsConsent: "yes", smsConsentDate: "2024-03-01")).ShouldBe((ImportField.SmsConsent, ImportProblem.ConsentNeedsPhone));

    [Fact]
    public void Sms_consent_with_a_phone_and_a_date_is_kept() =>
        Read(phone: "0612345678", smsConsent: "ja", smsConsentDate: "2024-03-01").Row.ShouldNotBeNull().SmsConsentGivenAt.ShouldNotBeNull();

    [Fact]
    public void A_store_is_found_by_its_name_whatever_the_case() =>
        Read(store: "centrum").Row.ShouldNotBeNull().StoreId.ShouldBe(Centrum);

    [Fact]
    public void An_unknown_store_is_an_error() =>
        Only(Read(store: "Elsewhere")).ShouldBe((ImportField.Store, ImportProblem.StoreUnknown));

    [Fact]
    public void The_sign_up_date_is_kept_and_must_be_a_date() =>
        (Read(signedUp: "15-06-2019").Row.ShouldNotBeNull().SignedUpAt?.Year, Only(Read(signedUp: "yesterday")))
            .ShouldBe((2019, (ImportField.SignedUpAt, ImportProblem.SignedUpAtInvalid)));

    [Fact]
    public void Every_problem_of_a_row_is_reported()
    {
        var result = Read(email: "nope", phone: "12", birthday: "x");

        result.Row.ShouldBeNull();
        result.Problems.Select(p => p.Field).ShouldBe([ImportField.Email, ImportField.Phone, ImportField.Birthday]);
    }

    [Fact]
    public void A_row_shorter_than_the_mapping_reads_its_missing_cells_as_empty() =>
        ImportRows.Read(["Ann", "Smit", "ann@example.com"], Mapping, Context).Row.ShouldNotBeNull().Shopper.Email.ShouldBe("ann@example.com");

    [Fact]
    public void Columns_that_are_not_imported_are_ignored() =>
        ImportRows.Read(["=cmd|' /C calc'!A0", "ann@example.com"], [ImportField.Ignore, ImportField.Email], Context).Row.ShouldNotBeNull().Shopper.FirstName.ShouldBeNull();

    [Theory]
    [InlineData(new[] { "E-mail", "Voornaam", "Achternaam", "Telefoon", "Postcode", "Geboortedatum" },
        new[] { ImportField.Email, ImportField.FirstName, ImportField.LastName, ImportField.Phone, ImportField.PostalCode, ImportField.Birthday })]
    [InlineData(new[] { "First Name", "last_name", "Email address", "Mobile", "ZIP", "Date of birth", "Notes" },
        new[] { ImportField.FirstName, ImportField.LastName, ImportField.Email, ImportField.Phone, ImportField.PostalCode, ImportField.Birthday, ImportField.Ignore })]
    [InlineData(new[] { "Email", "Email consent", "Email consent date", "SMS", "SMS consent date", "Winkel", "Aangemeld op" },
        new[] { ImportField.Email, ImportField.EmailConsent, ImportField.EmailConsentDate, ImportField.SmsConsent, ImportField.SmsConsentDate, ImportField.Store, ImportField.SignedUpAt })]
    [InlineData(new[] { "email", "E-mail" }, new[] { ImportField.Email, ImportField.Ignore })]
    public void The_mapping_is_guessed_from_english_and_dutch_headers(string[] headers, ImportField[] expected) =>
        ImportColumns.Guess(headers).ShouldBe(expected);
}
