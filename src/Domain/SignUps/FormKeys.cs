using System.Globalization;
using System.Text;

namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// The keys of custom questions and their options: what answers are stored under, so a key is made
/// once from the label ("Favourite colour" → <c>favourite-colour</c>) and then kept when the wording
/// changes. Keys are lower-case letters, digits and hyphens, at most <see cref="MaxLength"/> long.
/// </summary>
public static class FormKeys
{
    public const int MaxLength = 40;

    /// <summary>The key a label would get: accents dropped (é → e, ĳ → ij), anything else between words a hyphen.</summary>
    public static string SlugOf(string? label, string fallback)
    {
        var slug = new StringBuilder(MaxLength);
        var hyphen = false;
        foreach (var c in (label ?? "").EnumerateRunes().SelectMany(Decomposed).SelectMany(Spelled))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (hyphen && slug.Length > 0)
                {
                    slug.Append('-');
                }

                slug.Append(lower);
                hyphen = false;
            }
            else
            {
                hyphen = true;
            }

            if (slug.Length >= MaxLength)
            {
                break;
            }
        }

        var text = slug.ToString().TrimEnd('-');
        return text.Length == 0 ? fallback : text[..Math.Min(text.Length, MaxLength)].TrimEnd('-');
    }

    /// <summary>
    /// A key for <paramref name="label"/> that none of <paramref name="taken"/> has: its slug, or the
    /// slug with "-2", "-3", … (shortened to fit), so two questions called "Colour" get two keys.
    /// </summary>
    public static string NewKey(string? label, string fallback, IReadOnlySet<string> taken)
    {
        var slug = SlugOf(label, fallback);
        if (!taken.Contains(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var candidate = slug[..Math.Min(slug.Length, MaxLength - suffix.Length)].TrimEnd('-') + suffix;
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Latin letters that do not decompose into a letter and an accent, written as they are in plain letters.</summary>
    private static string Spelled(char c) => c switch
    {
        'ß' => "ss",
        'æ' or 'Æ' => "ae",
        'œ' or 'Œ' => "oe",
        'ø' or 'Ø' => "o",
        'ł' or 'Ł' => "l",
        'đ' or 'Đ' => "d",
        _ => c.ToString(),
    };

    /// <summary>A code point's compatibility decomposition (ĳ → i j, é → e ◌́); nothing for one that has none to give (a noncharacter).</summary>
    private static string Decomposed(Rune rune)
    {
        try
        {
            return rune.ToString().Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return "";
        }
    }

    /// <summary><paramref name="text"/> with each half of a broken surrogate pair replaced by U+FFFD, so it can be normalised and stored.</summary>
    public static string WellFormed(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    /// <summary>Whether <paramref name="key"/> has the shape of a key.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
