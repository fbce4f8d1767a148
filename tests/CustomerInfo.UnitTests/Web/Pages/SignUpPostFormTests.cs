using System.Globalization;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Web.Pages.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CustomerInfo.UnitTests.Web.Pages;

/// <summary>
/// The kiosk's post read as model binding reads it, or left to the page. That both give the same
/// sign-up is shown against the page itself by the functional SignUpPostTests.
/// </summary>
public class SignUpPostFormTests
{
    private const string TokenField = "__RequestVerificationToken";

    private static (SubmitSignUpCommand Command, string? Lang)? Read(string? query = null, params (string Key, string[] Values)[] fields)
    {
        var form = new FormCollection(fields.ToDictionary(f => f.Key, f => new StringValues(f.Values), StringComparer.OrdinalIgnoreCase));
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString(query);
        return SignUpPostForm.TryRead(form, request.Query, TokenField, CultureInfo.GetCultureInfo("nl"));
    }

    private static (string, string[]) F(string key, params string[] values) => (key, values);

    [Fact]
    public void The_kiosk_s_fields_are_read_into_the_command_as_binding_reads_them()
    {
        var id = Guid.NewGuid();
        var read = Read(
            "?lang=nl",
            F(TokenField, "token"),
            F("Command.SubmissionId", id.ToString()),
            F("Command.FormVersion", "3"),
            F("command.language", "nl"),
            F("Command.KioskToken", ""),
            F("Command.FilledAt", "2026-12-04T01:02:03.456Z"),
            F("Command.FirstName", " Ann "),
            F("Command.LastName", "  "),
            F("Command.Email", "ann@example.com", "second@example.com"),
            F("Command.BirthdayDay", "14"),
            F("Command.BirthdayMonth", "3"),
            F("Command.EmailConsent", "true"),
            F("Command.SmsConsent", "False"),
            F("Command.Answers[interests]", "women", "home"),
            F("Command.Answers[heard-from]", ""),
            F("website", ""));

        var (command, lang) = read.ShouldNotBeNull();
        lang.ShouldBe("nl");
        command.SubmissionId.ShouldBe(id);
        command.FormVersion.ShouldBe(3);
        command.Language.ShouldBe("nl");
        command.KioskToken.ShouldBeNull();
        command.FilledAt.ShouldBe(new DateTimeOffset(2026, 12, 4, 1, 2, 3, 456, TimeSpan.Zero));
        command.FirstName.ShouldBe(" Ann "); // kept as sent: the validator and handler clean it
        command.LastName.ShouldBeNull();
        command.Email.ShouldBe("ann@example.com"); // the first value, as binding takes it
        (command.BirthdayDay, command.BirthdayMonth, command.BirthdayYear).ShouldBe((14, 3, null));
        command.EmailConsent.ShouldBeTrue();
        command.SmsConsent.ShouldBeFalse();
        command.Answers["interests"].ShouldBe(["women", "home"]);
        command.Answers["heard-from"].ShouldBe([null!]);
    }

    [Fact]
    public void A_form_without_a_lang_in_the_query_has_none()
    {
        Read(null, F("Command.Email", "ann@example.com")).ShouldNotBeNull().Lang.ShouldBeNull();
        Read("?lang=%20", F("Command.Email", "ann@example.com")).ShouldNotBeNull().Lang.ShouldBeNull();
    }

    [Theory]
    [InlineData("Command.BirthdayDay", "abc")]
    [InlineData("Command.BirthdayDay", "99999999999")]
    [InlineData("Command.FormVersion", "1.5")]
    [InlineData("Command.SubmissionId", "not a guid")]
    [InlineData("Command.FilledAt", "not a time")]
    [InlineData("Command.EmailConsent", "maybe")]
    [InlineData("Command.EmailConsent", "")]
    [InlineData("Command.Answers", "x")]
    [InlineData("Command.Answers[]", "x")]
    [InlineData("Command.Answers[0]", "x")]
    [InlineData("Command.Answers[a.b]", "x")]
    [InlineData("Command.Answers[interests][0]", "x")]
    [InlineData("Command", "x")]
    [InlineData("Command[FirstName]", "Ann")]
    [InlineData("FirstName", "Ann")]
    [InlineData("lang", "nl")]
    [InlineData("website", "http://spam.example")]
    public void Anything_binding_would_explain_or_read_otherwise_is_left_to_the_page(string key, string value)
    {
        Read(null, F("Command.Email", "ann@example.com"), F(key, value)).ShouldBeNull();
    }

    [Fact]
    public void A_post_to_a_handler_is_left_to_the_page()
    {
        Read("?handler=Token", F("Command.Email", "ann@example.com")).ShouldBeNull();
    }
}
