using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class PublishFormDefinitionValidatorTests
{
    private static readonly FormDefinition Starter = FormDefinition.StarterFor("Acme Shoes");

    private static LocalizedText Text(string english, string? dutch = null) =>
        new(new Dictionary<string, string> { ["en"] = english, ["nl"] = dutch ?? english + " (nl)" });

    private static CustomQuestion Choice(string key, params string[] options) =>
        new(key, QuestionKind.SingleChoice, FieldRequirement.Optional, Text(key), [.. options.Select(o => new ChoiceOption(o, Text(o)))]);

    private static List<(string Property, string Message)> Errors(FormDefinition definition) =>
        [.. new PublishFormDefinitionValidator().Validate(new PublishFormDefinitionCommand(definition)).Errors.Select(e => (e.PropertyName, e.ErrorMessage))];

    [Fact]
    public void The_starter_form_and_one_with_a_choice_question_pass() =>
        Errors(Starter with { Questions = [Choice("shoe", "boots", "sneakers")] }).ShouldBeEmpty();

    [Fact]
    public void A_form_without_email_and_without_phone_is_refused_on_the_fields()
    {
        var errors = Errors(Starter with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Hidden), new(BuiltInField.Phone, FieldRequirement.Hidden)],
        });

        errors.ShouldBe([("Definition.Fields", "Ask for an email address or a phone number, or both.")]);
    }

    [Fact]
    public void Two_hundred_questions_are_refused_with_one_message_not_two_hundred()
    {
        var errors = Errors(Starter with { Questions = [.. Enumerable.Range(0, 200).Select(i => Choice($"q{i}", "a", "b"))] });

        errors.ShouldBe([("Definition.Questions", "A form can have at most 30 questions of your own.")]);
        Errors(Starter with { Questions = [.. Enumerable.Range(0, 30).Select(i => Choice($"q{i}", "a", "b"))] }).ShouldBeEmpty();
    }

    [Fact]
    public void Colliding_option_keys_and_question_keys_are_refused()
    {
        Errors(Starter with { Questions = [Choice("shoe", "boots", "boots")] })
            .ShouldBe([("Definition.Questions[0].Options", "Each option needs its own key.")]);
        Errors(Starter with { Questions = [Choice("shoe", "a", "b"), Choice("shoe", "c", "d")] })
            .ShouldBe([("Definition.Questions", "Each question needs its own key.")]);
    }

    [Fact]
    public void Too_many_options_long_labels_and_empty_options_are_refused_where_they_are()
    {
        var many = Choice("shoe", [.. Enumerable.Range(0, 21).Select(i => $"o{i}")]);
        var longLabel = Choice("long", "a", "b") with { Label = Text(new string('x', 201)) };
        var emptyOption = Choice("empty", "a", "b") with { Options = [new("a", Text("A")), new("b", LocalizedText.Empty)] };

        var errors = Errors(Starter with { Questions = [many, longLabel, emptyOption] });

        errors.ShouldContain(("Definition.Questions[0].Options", "A question can have at most 20 options."));
        errors.ShouldContain(("Definition.Questions[1].Label", "Keep a label to 200 characters."));
        errors.ShouldContain(("Definition.Questions[2].Options[1].Label", "An option needs a label."));
        errors.Count.ShouldBe(3);
    }

    [Fact]
    public void A_shown_email_needs_its_consent_in_every_language_and_consent_is_at_most_1000_characters()
    {
        Errors(Starter with { EmailConsent = new(new Dictionary<string, string> { ["en"] = "Yes, email me." }) })
            .ShouldBe([("Definition.EmailConsent", "Write the email consent in every language: the kiosk asks for it with the email address.")]);
        Errors(Starter with { SmsConsent = Text(new string('x', 1001)) })
            .ShouldBe([("Definition.SmsConsent", "Keep the consent wording to 1000 characters.")]);
        Errors(Starter with
        {
            Fields = [new(BuiltInField.Email, FieldRequirement.Required), new(BuiltInField.Phone, FieldRequirement.Hidden)],
            SmsConsent = LocalizedText.Empty,
        }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(2, 60, "NL", "Show the thank-you screen for 3 to 60 seconds.")]
    [InlineData(8, 601, "NL", "Clear an untouched form after 15 to 600 seconds.")]
    [InlineData(8, 60, "XX", "Choose a country from the list.")]
    [InlineData(8, 60, "nl", "Choose a country from the list.")]
    [InlineData(8, 60, "US", "Choose a country from the list.")]
    public void Seconds_out_of_range_and_unknown_countries_are_refused(int thankYou, int idle, string country, string message) =>
        Errors(Starter with { ThankYouSeconds = thankYou, IdleSeconds = idle, Country = country }).Select(e => e.Message).ShouldBe([message]);

    [Theory]
    [InlineData("GB")]
    [InlineData("CH")]
    [InlineData("NO")]
    [InlineData("BE")]
    public void The_eea_the_uk_and_switzerland_are_known(string country) =>
        Errors(Starter with { Country = country }).ShouldBeEmpty();
}
