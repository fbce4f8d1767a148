using CustomerInfo.Application.Shoppers.ExportShopper;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.SignUps;

/// <summary>An answer in the words of a form: what the shopper's export, the sign-up's page and the CSV show.</summary>
public static class AnswerWording
{
    /// <summary>The question's label and the chosen options' labels in <paramref name="language"/>; keys where the form no longer has them.</summary>
    public static ExportedAnswer Worded(QuestionAnswer answer, FormDefinition form, string language)
    {
        var question = form.Questions.FirstOrDefault(q => q.Key == answer.QuestionKey);
        if (question is null)
        {
            return new ExportedAnswer(answer.QuestionKey, answer.Values);
        }

        return new ExportedAnswer(question.Label.In(language), Values(question, answer.Values, language));
    }

    /// <summary>The answer's values as <paramref name="question"/> words them (option labels, or the text as typed).</summary>
    public static IReadOnlyList<string> Values(CustomQuestion question, IReadOnlyList<string> values, string language) =>
        question.Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice
            ? values.Select(v => question.Options.FirstOrDefault(o => o.Key == v)?.Label.In(language) ?? v).ToList()
            : values;
}
