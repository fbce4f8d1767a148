using System.Globalization;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Web.Pages.Admin.Form;

/// <summary>
/// The form builder's fields as the browser posts them: plain strings, so nothing a browser (or
/// anyone) sends fails to bind; <see cref="ToDefinition"/> reads them into a <see cref="FormDefinition"/>,
/// whose rules the publish validator checks. Questions keep their posted order and index, so an error
/// the validator names by index (<c>Definition.Questions[2].Label</c>) lands next to that question.
/// </summary>
public sealed class FormEditor
{
    public string? BasedOnVersion { get; set; }

    /// <summary>A button's instruction: <c>field-up:2</c>, <c>field-down:2</c>, <c>question-up:1</c>, <c>question-down:1</c>, <c>add-question</c>, <c>remove-question:1</c>, <c>remove-option:1:0</c>.</summary>
    public string? Action { get; set; }

    public List<FieldRow> Fields { get; set; } = [];

    public List<QuestionRow> Questions { get; set; } = [];

    public Dictionary<string, string?> Welcome { get; set; } = [];

    public Dictionary<string, string?> ThankYou { get; set; } = [];

    public Dictionary<string, string?> EmailConsent { get; set; } = [];

    public Dictionary<string, string?> SmsConsent { get; set; } = [];

    public string? ThankYouSeconds { get; set; }

    public string? IdleSeconds { get; set; }

    public string? DefaultLanguage { get; set; }

    public string? Country { get; set; }

    public int BasedOn => int.TryParse(BasedOnVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static FormEditor From(FormDefinition definition, int basedOnVersion) => new FormEditor
    {
        BasedOnVersion = basedOnVersion.ToString(CultureInfo.InvariantCulture),
        Fields = [.. definition.Fields.Select(f => new FieldRow { Field = f.Field.ToString(), Requirement = f.Requirement.ToString() })],
        Questions =
        [
            .. definition.Questions.Select(q => new QuestionRow
            {
                Key = q.Key,
                Kind = q.Kind.ToString(),
                Requirement = q.Requirement.ToString(),
                Label = Texts(q.Label),
                Options = [.. q.Options.Select(o => new OptionRow { Key = o.Key, Label = Texts(o.Label) })],
            }),
        ],
        Welcome = Texts(definition.Branding.Welcome),
        ThankYou = Texts(definition.Branding.ThankYou),
        EmailConsent = Texts(definition.EmailConsent),
        SmsConsent = Texts(definition.SmsConsent),
        ThankYouSeconds = definition.ThankYouSeconds.ToString(CultureInfo.InvariantCulture),
        IdleSeconds = definition.IdleSeconds.ToString(CultureInfo.InvariantCulture),
        DefaultLanguage = definition.DefaultLanguage,
        Country = definition.Country,
    }.Normalized();

    /// <summary>
    /// Every built-in field once (unknown ones dropped, missing ones added as hidden), kinds and
    /// requirements that exist, option rows that say something. Idempotent.
    /// </summary>
    public FormEditor Normalized()
    {
        var fields = new List<FieldRow>();
        foreach (var row in Fields)
        {
            if (Parse<BuiltInField>(row.Field) is { } field && fields.All(f => f.Field != field.ToString()))
            {
                fields.Add(new FieldRow { Field = field.ToString(), Requirement = (Parse<FieldRequirement>(row.Requirement) ?? FieldRequirement.Hidden).ToString() });
            }
        }

        foreach (var field in Enum.GetValues<BuiltInField>().Where(f => fields.All(r => r.Field != f.ToString())))
        {
            fields.Add(new FieldRow { Field = field.ToString(), Requirement = nameof(FieldRequirement.Hidden) });
        }

        Fields = fields;
        foreach (var question in Questions)
        {
            question.Kind = (Parse<QuestionKind>(question.Kind) ?? QuestionKind.ShortText).ToString();
            question.Requirement = (Parse<FieldRequirement>(question.Requirement) ?? FieldRequirement.Optional).ToString();
            question.Label = Clean(question.Label);
            question.Options = [.. question.Options.Select(o => new OptionRow { Key = o.Key, Label = Clean(o.Label) }).Where(o => o.Label.Values.Any(v => !string.IsNullOrWhiteSpace(v)))];
        }

        (Welcome, ThankYou, EmailConsent, SmsConsent) = (Clean(Welcome), Clean(ThankYou), Clean(EmailConsent), Clean(SmsConsent));
        return this;
    }

    /// <summary>Carries out <see cref="Action"/> (a move, an added or removed question or option); anything else does nothing.</summary>
    public FormEditor Apply()
    {
        var parts = (Action ?? "").Split(':');
        int? At(int i) => parts.Length > i && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        switch (parts[0])
        {
            case "field-up" when At(1) is { } i:
                Swap(Fields, i, i - 1);
                break;
            case "field-down" when At(1) is { } i:
                Swap(Fields, i, i + 1);
                break;
            case "question-up" when At(1) is { } i:
                Swap(Questions, i, i - 1);
                break;
            case "question-down" when At(1) is { } i:
                Swap(Questions, i, i + 1);
                break;
            case "add-question":
                Questions.Add(new QuestionRow { Kind = nameof(QuestionKind.ShortText), Requirement = nameof(FieldRequirement.Optional) });
                break;
            case "remove-question" when At(1) is { } i && i < Questions.Count:
                Questions.RemoveAt(i);
                break;
            case "remove-option" when At(1) is { } q && q < Questions.Count && At(2) is { } o && o < Questions[q].Options.Count:
                Questions[q].Options.RemoveAt(o);
                break;
        }

        return this;
    }

    /// <summary>
    /// The definition this editor describes. What it does not edit (the colours, the logo, the old
    /// form locations) is taken from <paramref name="published"/> unchanged. A question or option
    /// keeps its key when <paramref name="published"/> has it; a new one gets a key made from its
    /// label, unlike any other, so rewording before the first publish changes the key and after it
    /// never does.
    /// </summary>
    public FormDefinition ToDefinition(FormDefinition published)
    {
        Normalized();
        var publishedKeys = published.Questions.ToDictionary(q => q.Key, q => q.Options.Select(o => o.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var taken = Questions.Select(q => q.Key).OfType<string>().Where(publishedKeys.ContainsKey).ToHashSet(StringComparer.Ordinal);
        var questions = new List<CustomQuestion>();
        foreach (var row in Questions)
        {
            var key = row.Key is not null && publishedKeys.ContainsKey(row.Key) ? row.Key : FormKeys.NewKey(FirstLabel(row.Label), "question", taken);
            taken.Add(key);
            var publishedOptions = publishedKeys.GetValueOrDefault(key) ?? new HashSet<string>(StringComparer.Ordinal);
            var optionsTaken = row.Options.Select(o => o.Key).OfType<string>().Where(publishedOptions.Contains).ToHashSet(StringComparer.Ordinal);
            var options = new List<ChoiceOption>();
            foreach (var option in row.Options)
            {
                var optionKey = option.Key is not null && publishedOptions.Contains(option.Key) ? option.Key : FormKeys.NewKey(FirstLabel(option.Label), "option", optionsTaken);
                optionsTaken.Add(optionKey);
                options.Add(new ChoiceOption(optionKey, Text(option.Label)));
            }

            questions.Add(new CustomQuestion(key, Enum.Parse<QuestionKind>(row.Kind!), Enum.Parse<FieldRequirement>(row.Requirement!), Text(row.Label), options));
        }

        return published with
        {
            DefaultLanguage = Short(DefaultLanguage),
            Country = Short(Country),
            Fields = [.. Fields.Select(f => new BuiltInFieldSetting(Enum.Parse<BuiltInField>(f.Field!), Enum.Parse<FieldRequirement>(f.Requirement!)))],
            Questions = questions,
            EmailConsent = Text(EmailConsent),
            SmsConsent = Text(SmsConsent),
            Branding = published.Branding with { Welcome = Text(Welcome), ThankYou = Text(ThankYou) },
            ThankYouSeconds = Seconds(ThankYouSeconds),
            IdleSeconds = Seconds(IdleSeconds),
        };
    }

    /// <summary>A code as posted, cut short and without control characters: the rules name it unknown, the draft can keep it.</summary>
    private static string Short(string? code) => WithoutControls(code)[..Math.Min(WithoutControls(code).Length, 16)];

    /// <summary>A number of seconds; anything else is -1, which the rule refuses with its range.</summary>
    private static int Seconds(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : -1;

    private static string? FirstLabel(Dictionary<string, string?> label) =>
        FormLanguages.All.Select(l => label.GetValueOrDefault(l)).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

    /// <summary>Only the offered languages, trimmed; a language left empty is left out (the kiosk then falls back to English).</summary>
    private static LocalizedText Text(Dictionary<string, string?> values) =>
        new(FormLanguages.All.Where(l => !string.IsNullOrWhiteSpace(values.GetValueOrDefault(l))).ToDictionary(l => l, l => values[l]!.Trim(), StringComparer.Ordinal));

    private static Dictionary<string, string?> Texts(LocalizedText text) =>
        FormLanguages.All.ToDictionary(l => l, l => text.Values.GetValueOrDefault(l), StringComparer.Ordinal);

    /// <summary>The offered languages only, without control characters but line breaks (PostgreSQL's jsonb refuses U+0000) and broken surrogate pairs.</summary>
    private static Dictionary<string, string?> Clean(Dictionary<string, string?> values) =>
        FormLanguages.All.ToDictionary(l => l, l => (string?)WithoutControls(values.GetValueOrDefault(l)), StringComparer.Ordinal);

    private static string WithoutControls(string? value) =>
        string.Concat(FormKeys.WellFormed(value ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Where(c => c == '\n' || !char.IsControl(c)));

    /// <summary>A named value of <typeparamref name="T"/>; numbers and unknown names are null.</summary>
    private static T? Parse<T>(string? value)
        where T : struct, Enum =>
        value is not null && Enum.GetNames<T>().Contains(value, StringComparer.Ordinal) ? Enum.Parse<T>(value) : null;

    private static void Swap<T>(List<T> list, int a, int b)
    {
        if (a >= 0 && b >= 0 && a < list.Count && b < list.Count)
        {
            (list[a], list[b]) = (list[b], list[a]);
        }
    }
}

public sealed class FieldRow
{
    public string? Field { get; set; }

    public string? Requirement { get; set; }
}

public sealed class QuestionRow
{
    /// <summary>The key the question was published with; empty for a new question.</summary>
    public string? Key { get; set; }

    public string? Kind { get; set; }

    public string? Requirement { get; set; }

    public Dictionary<string, string?> Label { get; set; } = [];

    public List<OptionRow> Options { get; set; } = [];

    public bool IsChoice => Kind is nameof(QuestionKind.SingleChoice) or nameof(QuestionKind.MultipleChoice);
}

public sealed class OptionRow
{
    public string? Key { get; set; }

    public Dictionary<string, string?> Label { get; set; } = [];
}
