using System.Globalization;
using CustomerInfo.Application.SignUps.GetSignUpForm;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Web.Resources;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Store;

/// <summary>
/// The sign-up form as the kiosk page renders it: the store's definition, what the shopper typed and
/// the errors, turned into plain field views, so the .cshtml only writes markup.
/// </summary>
public sealed record KioskPage(
    KioskBrand Brand,
    string Action,
    string Home,
    int IdleSeconds,
    IReadOnlyList<KioskField> Fields,
    IReadOnlyList<KioskConsent> Consents,
    int ErrorCount,
    string? Summary,
    IReadOnlyList<string> OtherErrors,
    string EmailDomains)
{
    /// <summary>Where each field's value and errors are bound: the page's [BindProperty] name.</summary>
    public const string Prefix = "Command";

    private static readonly string[] HiddenProperties =
        [nameof(SubmitSignUpCommand.SubmissionId), nameof(SubmitSignUpCommand.FormVersion), nameof(SubmitSignUpCommand.Language), nameof(SubmitSignUpCommand.KioskToken), nameof(SubmitSignUpCommand.FilledAt)];

    public static KioskPage For(SignUpForm form, SubmitSignUpCommand command, ModelStateDictionary state, IStringLocalizer<KioskText> text)
    {
        var definition = form.Definition;
        var messages = SignUpMessages.For(form.Language);
        var values = new Values(command, state);
        var fields = new List<KioskField>();
        foreach (var setting in definition.Fields.Where(f => f.Requirement != FieldRequirement.Hidden))
        {
            var required = setting.Requirement == FieldRequirement.Required;
            fields.Add(setting.Field switch
            {
                BuiltInField.FirstName => Text("first-name", nameof(command.FirstName), text["FirstName"], required, values, "text", "text", "words", ShopperInput.NameMaxLength, messages.FirstNameMissing, null),
                BuiltInField.LastName => Text("last-name", nameof(command.LastName), text["LastName"], required, values, "text", "text", "words", ShopperInput.NameMaxLength, messages.LastNameMissing, null),
                BuiltInField.Email => Text("email", nameof(command.Email), text["Email"], required, values, "email", "email", "off", ShopperInput.EmailMaxLength, messages.EmailMissing, messages.EmailInvalid),
                BuiltInField.Phone => Text("phone", nameof(command.Phone), text["Phone"], required, values, "tel", "tel", "off", ShopperInput.PhoneMaxLength, messages.PhoneMissing, messages.PhoneInvalid),
                BuiltInField.PostalCode => Text("postal-code", nameof(command.PostalCode), text["PostalCode"], required, values, "text", "text", "characters", ShopperInput.PostalCodeMaxLength, messages.PostalCodeMissing, messages.PostalCodeInvalid),
                _ => Birthday(required, values, text, messages),
            });
        }

        var names = fields.OfType<KioskTextField>().Where(f => f.Id is "first-name" or "last-name").ToList();
        if (names.Count == 2 && Math.Abs(fields.IndexOf(names[0]) - fields.IndexOf(names[1])) == 1)
        {
            fields[fields.IndexOf(names[0])] = names[0] with { Half = true };
            fields[fields.IndexOf(names[1])] = names[1] with { Half = true };
        }

        var index = 0;
        foreach (var question in definition.Questions.Where(q => q.Requirement != FieldRequirement.Hidden))
        {
            fields.Add(Question(question, $"q{++index}", form.Language, values, text, messages));
        }

        var consents = new List<KioskConsent>();
        if (definition.RequirementOf(BuiltInField.Email) != FieldRequirement.Hidden && !definition.EmailConsent.IsEmpty)
        {
            consents.Add(new("email-consent", $"{Prefix}.{nameof(command.EmailConsent)}", definition.EmailConsent.In(form.Language), command.EmailConsent, values.Error(nameof(command.EmailConsent))));
        }

        if (definition.RequirementOf(BuiltInField.Phone) != FieldRequirement.Hidden && !definition.SmsConsent.IsEmpty)
        {
            consents.Add(new("sms-consent", $"{Prefix}.{nameof(command.SmsConsent)}", definition.SmsConsent.In(form.Language), command.SmsConsent, values.Error(nameof(command.SmsConsent))));
        }

        var other = HiddenProperties.Select(values.Error).OfType<string>().Distinct().ToList();
        var errorCount = fields.Count(f => f.Error is not null) + consents.Count(c => c.Error is not null) + other.Count;
        var summary = errorCount switch
        {
            0 => null,
            1 => text["SummaryOne"].Value,
            _ => string.Format(CultureInfo.InvariantCulture, text["SummaryMany"].Value, errorCount),
        };

        var home = Link("/", form.Language);
        return new KioskPage(
            KioskBrand.For(form),
            home,
            home,
            Math.Max(definition.IdleSeconds, 15),
            fields,
            consents,
            errorCount,
            summary,
            other,
            string.Join(' ', CommonEmailDomains.All));
    }

    /// <summary>A kiosk address that keeps the language (<c>/?lang=nl</c>). The store comes from the tablet's kiosk link cookie.</summary>
    public static string Link(string path, string language) => path + QueryString.Create("lang", language).ToUriComponent();

    /// <summary>
    /// Model binding's own messages (e.g. "The value 'abc' is not valid for BirthdayDay.") speak
    /// English and name properties: replace them with one plain sentence in the shopper's language.
    /// </summary>
    public static void ExplainBindingErrors(ModelStateDictionary state, IStringLocalizer<KioskText> text)
    {
        foreach (var entry in state.Values.Where(e => e.Errors.Count > 0))
        {
            entry.Errors.Clear();
            entry.Errors.Add(text["NotUnderstood"].Value);
        }
    }

    private static KioskTextField Text(string id, string property, string label, bool required, Values values, string type, string inputMode, string autoCapitalize, int maxLength, string missing, string? invalid) =>
        new(id, $"{Prefix}.{property}", label, required, values.Error(property), values.Raw(property), type, inputMode, autoCapitalize, maxLength, missing, invalid ?? missing);

    private static KioskBirthdayField Birthday(bool required, Values values, IStringLocalizer<KioskText> text, SignUpMessages messages)
    {
        var months = text["Months"].Value.Split(',').Select((name, i) => new KioskOption((i + 1).ToString(CultureInfo.InvariantCulture), name, false)).ToList();
        var month = values.Raw(nameof(SubmitSignUpCommand.BirthdayMonth));
        var error = values.Error("Birthday") ?? values.Error(nameof(SubmitSignUpCommand.BirthdayDay))
            ?? values.Error(nameof(SubmitSignUpCommand.BirthdayMonth)) ?? values.Error(nameof(SubmitSignUpCommand.BirthdayYear));
        return new KioskBirthdayField(
            "birthday",
            text["Birthday"],
            required,
            error,
            text["BirthdayHint"],
            values.Raw(nameof(SubmitSignUpCommand.BirthdayDay)),
            months.Select(m => m with { Checked = m.Value == month }).ToList(),
            values.Raw(nameof(SubmitSignUpCommand.BirthdayYear)),
            text["Day"],
            text["Month"],
            text["Year"],
            $"{Prefix}.{nameof(SubmitSignUpCommand.BirthdayDay)}",
            $"{Prefix}.{nameof(SubmitSignUpCommand.BirthdayMonth)}",
            $"{Prefix}.{nameof(SubmitSignUpCommand.BirthdayYear)}",
            messages.BirthdayMissing,
            messages.BirthdayInvalid);
    }

    private static KioskField Question(CustomQuestion question, string id, string language, Values values, IStringLocalizer<KioskText> text, SignUpMessages messages)
    {
        var name = $"{Prefix}.{nameof(SubmitSignUpCommand.Answers)}[{question.Key}]";
        var property = $"{nameof(SubmitSignUpCommand.Answers)}[{question.Key}]";
        var required = question.Requirement == FieldRequirement.Required;
        var error = values.Error(property);
        var given = values.Answers(question.Key);
        if (question.Kind == QuestionKind.ShortText)
        {
            return new KioskTextField(id, name, question.Label.In(language), required, error, given.FirstOrDefault(), "text", "text", "sentences", ShopperInput.AnswerMaxLength, messages.AnswerMissing, messages.AnswerTooLong(ShopperInput.AnswerMaxLength));
        }

        var options = question.Kind == QuestionKind.YesNo
            ? [new(CustomQuestion.Yes, text["Yes"].Value, false), new KioskOption(CustomQuestion.No, text["No"].Value, false)]
            : question.Options.Select(o => new KioskOption(o.Key, o.Label.In(language), false)).ToList();
        var multiple = question.Kind == QuestionKind.MultipleChoice;
        return new KioskChoiceField(
            id,
            name,
            question.Label.In(language),
            required,
            error,
            multiple,
            multiple ? text["ChooseAny"].Value : null,
            options.Select(o => o with { Checked = given.Contains(o.Value, StringComparer.Ordinal) }).ToList(),
            messages.AnswerMissing);
    }

    /// <summary>What the shopper typed (exactly, even when it did not bind) and the errors, by command property.</summary>
    private sealed class Values(SubmitSignUpCommand command, ModelStateDictionary state)
    {
        public string? Raw(string property) =>
            state.TryGetValue($"{Prefix}.{property}", out var entry) && entry.AttemptedValue is not null
                ? entry.AttemptedValue
                : typeof(SubmitSignUpCommand).GetProperty(property)?.GetValue(command) switch
                {
                    null => null,
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    var value => value.ToString(),
                };

        public string[] Answers(string key) =>
            command.Answers.TryGetValue(key, out var answers) ? answers : [];

        public string? Error(string property) =>
            state.TryGetValue($"{Prefix}.{property}", out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
    }
}

/// <summary>The store's look. Colours are only ever #rrggbb (<see cref="HexColour"/>; anything else falls back), so they are safe inside a style element.</summary>
public sealed record KioskBrand(string StoreName, string Home, BrandLogo? Logo, string Primary, string OnPrimary, string Background, string Welcome, string ThankYou, string Language, IReadOnlyList<KioskLanguage> Languages)
{
    /// <summary>The layout's inline style: allowed by its hash, as the text is the same for every shopper of the store.</summary>
    public string RootStyle => $":root{{--brand:{Primary};--on-brand:{OnPrimary};--bg:{Background}}}";

    public static KioskBrand For(SignUpForm form)
    {
        var branding = form.Definition.Branding;
        var defaults = new Branding();
        var primary = HexColour.ParseOr(branding.PrimaryColor, HexColour.ParseOr(defaults.PrimaryColor, HexColour.Ink));
        var languages = FormLanguages.All
            .Select(l => new KioskLanguage(l, FormLanguages.NameOf(l), KioskPage.Link("/", l), l == form.Language))
            .ToList();
        return new KioskBrand(
            form.StoreName,
            KioskPage.Link("/", form.Language),
            branding.Logo,
            primary.Value,
            primary.ReadableText.Value,
            HexColour.ParseOr(branding.BackgroundColor, HexColour.ParseOr(defaults.BackgroundColor, HexColour.White)).Value,
            branding.Welcome.In(form.Language),
            branding.ThankYou.In(form.Language),
            form.Language,
            languages);
    }
}

/// <summary>What the kiosk's form partial renders; with <see cref="PreviewNote"/>, a preview that takes no sign-ups and says so.</summary>
public sealed record KioskFormView(KioskPage Kiosk, SubmitSignUpCommand Command, string? PreviewNote = null);

public sealed record KioskLanguage(string Code, string Name, string Url, bool Current);

public abstract record KioskField(string Id, string Label, bool Required, string? Error)
{
    public string ErrorId => Id + "-error";
}

public sealed record KioskTextField(
    string Id, string Name, string Label, bool Required, string? Error, string? Value, string Type, string InputMode, string AutoCapitalize, int MaxLength, string MissingMessage, string InvalidMessage)
    : KioskField(Id, Label, Required, Error)
{
    /// <summary>Shares a row with its neighbour on a wide screen (first and last name).</summary>
    public bool Half { get; init; }
}

public sealed record KioskBirthdayField(
    string Id, string Label, bool Required, string? Error, string Hint, string? Day, IReadOnlyList<KioskOption> Months, string? Year,
    string DayLabel, string MonthLabel, string YearLabel, string DayName, string MonthName, string YearName, string MissingMessage, string InvalidMessage)
    : KioskField(Id, Label, Required, Error)
{
    public string HintId => Id + "-hint";
}

public sealed record KioskChoiceField(
    string Id, string Name, string Label, bool Required, string? Error, bool Multiple, string? Hint, IReadOnlyList<KioskOption> Options, string MissingMessage)
    : KioskField(Id, Label, Required, Error);

public sealed record KioskOption(string Value, string Label, bool Checked);

public sealed record KioskConsent(string Id, string Name, string Text, bool Checked, string? Error)
{
    public string ErrorId => Id + "-error";
}
