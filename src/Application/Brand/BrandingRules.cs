using System.Globalization;
using CustomerInfo.Application.Common;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using FluentValidation.Results;

namespace CustomerInfo.Application.Brand;

/// <summary>The rules of a store's look: one home for the branding page and the publish validator.</summary>
public static class BrandingRules
{
    public const int NameMaxLength = 80;

    public const string NotAColour = "Choose a colour as #rrggbb, for example #1f5f8b.";

    public const string TextOnPrimaryTooFaint =
        "Text on this primary colour would have a contrast of {0:0.00}:1; at least {1:0.0}:1 is needed. Choose a darker or a lighter colour.";

    public const string InkOnBackgroundTooFaint =
        "Dark text on this background would have a contrast of {0:0.00}:1; at least {1:0.0}:1 is needed. Choose a lighter background.";

    public const string NameLength = "Give the store a name of 1 to 80 characters.";

    public const string NameControlCharacters = "The name can't contain line breaks or invisible control characters.";

    /// <summary>The name as stored: trimmed.</summary>
    public static string CleanName(string? name) => (name ?? "").Trim();

    public static IRuleBuilderOptions<T, string?> ValidShopName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => CleanName(name).Length is >= 1 and <= NameMaxLength).WithMessage(NameLength)
            .Must(IsShowable).WithMessage(NameControlCharacters);

    /// <summary>
    /// Printable (no control characters, nothing left of invalid UTF-8 or a lone surrogate), on one
    /// line, and without the direction overrides that make a name read as another.
    /// </summary>
    internal static bool IsShowable(string? name)
    {
        var clean = CleanName(name);
        return SignUps.SubmitSignUp.ShopperInput.IsPrintable(clean)
            && !clean.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
    }

    public static IRuleBuilderOptions<T, string?> ValidColour<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => HexColour.TryParse(c, out _)).WithMessage(NotAColour);

    /// <summary>
    /// Adds a failure per unreadable pair, on the property of the colour to change, when both are
    /// colours at all (otherwise their shape rule speaks).
    /// </summary>
    public static void CheckContrast<T>(ValidationContext<T> context, string? primary, string? background, string primaryProperty, string backgroundProperty)
    {
        if (!HexColour.TryParse(primary, out var p) || !HexColour.TryParse(background, out var b))
        {
            return;
        }

        foreach (var shortfall in BrandColours.Check(p, b))
        {
            var (template, property) = shortfall.Pair is ColourPair.TextOnPrimary
                ? (TextOnPrimaryTooFaint, primaryProperty)
                : (InkOnBackgroundTooFaint, backgroundProperty);
            var message = new MessageTemplate(template, BrandColours.Shown(shortfall.Found), shortfall.Needed);
            context.AddFailure(new ValidationFailure(property, message.Format(CultureInfo.InvariantCulture)) { CustomState = message });
        }
    }
}
