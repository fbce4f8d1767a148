using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Web.Resources;

namespace CustomerInfo.UnitTests.Web.Localization;

/// <summary>Every text a shopper can see exists in English and in Dutch, with the same placeholders.</summary>
public sealed partial class TranslationTests
{
    public static TheoryData<string> ResourceFiles() => [.. Files()];

    /// <summary>Each resource file of the app as "assembly:base name", found in the assemblies (a new file is checked without listing it).</summary>
    private static IEnumerable<string> Files() =>
        from assembly in new[] { typeof(KioskText).Assembly, typeof(SignUpMessages).Assembly }
        from name in assembly.GetManifestResourceNames()
        where name.StartsWith("CustomerInfo.", StringComparison.Ordinal) && name.EndsWith(".resources", StringComparison.Ordinal)
        select assembly.GetName().Name + ":" + name[..^".resources".Length];

    [Fact]
    public void The_shopper_and_status_texts_are_among_the_files_checked()
    {
        var files = Files().ToList();
        files.ShouldContain(f => f.EndsWith("Resources.KioskText", StringComparison.Ordinal));
        files.ShouldContain(f => f.EndsWith("Resources.StatusText", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ResourceFiles))]
    public void Dutch_has_every_english_text_with_the_same_placeholders(string file)
    {
        var (english, dutch) = (Texts(file, CultureInfo.InvariantCulture), Texts(file, CultureInfo.GetCultureInfo("nl")));

        dutch.Keys.Order().ShouldBe(english.Keys.Order(), $"{file}: the same names in both languages");
        foreach (var (key, text) in english)
        {
            dutch[key].ShouldNotBeNullOrWhiteSpace($"{file}: {key}");
            Placeholders(dutch[key]).ShouldBe(Placeholders(text), $"{file}: {key} keeps its placeholders");
        }
    }

    private static Dictionary<string, string> Texts(string file, CultureInfo culture)
    {
        var (assemblyName, baseName) = (file[..file.IndexOf(':', StringComparison.Ordinal)], file[(file.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var manager = new ResourceManager(baseName, Assembly.Load(assemblyName));
        var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false).ShouldNotBeNull($"{file} has no {culture.Name} texts");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
