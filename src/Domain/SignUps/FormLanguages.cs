using System.Diagnostics.CodeAnalysis;

namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// The languages a form can be shown in: the one list the kiosk, the form builder and the publish
/// rule read (it used to be kept twice).
/// </summary>
public static class FormLanguages
{
    public const string English = "en";
    public const string Dutch = "nl";

    /// <summary>Every language a store's form offers, in the order the kiosk lists them.</summary>
    public static readonly IReadOnlyList<string> All = [English, Dutch];

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal) { [English] = "English", [Dutch] = "Nederlands" };

    public static bool IsOffered([NotNullWhen(true)] string? language) => language is not null && Names.ContainsKey(language);

    /// <summary>The language's own name for itself ("Nederlands"), as a language switcher shows it.</summary>
    public static string NameOf(string language) => Names.GetValueOrDefault(language, language);

    /// <summary>Each language's name in each language we show pages in: "Engels" on a Dutch page, "Dutch" on an English one.</summary>
    private static readonly Dictionary<(string Language, string In), string> NamesIn = new()
    {
        [(English, English)] = "English",
        [(Dutch, English)] = "Dutch",
        [(English, Dutch)] = "Engels",
        [(Dutch, Dutch)] = "Nederlands",
    };

    /// <summary>
    /// The language's name as a sentence in <paramref name="pageLanguage"/> says it ("Vraag in het Engels"),
    /// unlike <see cref="NameOf"/>, which is the name a language switcher shows. Falls back to the language's own name.
    /// </summary>
    public static string NameIn(string language, string pageLanguage) =>
        NamesIn.TryGetValue((language, pageLanguage), out var name) ? name : NameOf(language);

    /// <summary><paramref name="language"/> when the form offers it, else the form's default.</summary>
    public static string OrDefault(string? language, FormDefinition definition) =>
        IsOffered(language) ? language : definition.DefaultLanguage;
}
