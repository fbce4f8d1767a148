namespace CustomerInfo.Domain.SignUps;

/// <summary>Which pair of the kiosk's colours is too close to read.</summary>
public enum ColourPair
{
    /// <summary>The header, buttons and selected choices: their text (white or ink, whichever reads better) on the primary colour.</summary>
    TextOnPrimary,

    /// <summary>The welcome heading: the kiosk's ink on the page background.</summary>
    InkOnBackground,
}

/// <summary>An unreadable pair: the contrast ratio found and the one WCAG 2.1 AA asks for.</summary>
public sealed record ContrastShortfall(ColourPair Pair, double Found, double Needed);

/// <summary>
/// The kiosk's two brand colours, accepted only as a pair whose text is readable (WCAG 2.1 AA,
/// 1.4.3: 4.5:1 for normal text): the best of white and ink on the primary colour, and ink on the
/// background. The pair is not checked against each other, nor the primary against white cards: the
/// buttons and chips are identified by their text and, when selected, by a check mark, not by their
/// fill (1.4.11), so a yellow brand with dark text stays possible.
/// </summary>
public sealed record BrandColours
{
    /// <summary>WCAG 2.1 AA contrast for normal-size text.</summary>
    public const double TextContrast = 4.5;

    private BrandColours(HexColour primary, HexColour background)
    {
        Primary = primary;
        Background = background;
    }

    public HexColour Primary { get; }

    public HexColour Background { get; }

    /// <summary>White or ink: the text the kiosk puts on the primary colour.</summary>
    public HexColour OnPrimary => Primary.ReadableText;

    /// <summary>The shortfalls of a pair, worst first; none when the pair is readable.</summary>
    public static IReadOnlyList<ContrastShortfall> Check(HexColour primary, HexColour background)
    {
        var shortfalls = new List<ContrastShortfall>();
        var onPrimary = HexColour.Contrast(primary, primary.ReadableText);
        if (onPrimary < TextContrast)
        {
            shortfalls.Add(new ContrastShortfall(ColourPair.TextOnPrimary, onPrimary, TextContrast));
        }

        var onBackground = HexColour.Contrast(background, HexColour.Ink);
        if (onBackground < TextContrast)
        {
            shortfalls.Add(new ContrastShortfall(ColourPair.InkOnBackground, onBackground, TextContrast));
        }

        return shortfalls;
    }

    /// <summary>The pair, or null with the reasons it is unreadable.</summary>
    public static BrandColours? TryCreate(HexColour primary, HexColour background, out IReadOnlyList<ContrastShortfall> shortfalls)
    {
        shortfalls = Check(primary, background);
        return shortfalls.Count == 0 ? new BrandColours(primary, background) : null;
    }

    /// <summary>A ratio as people read it, to two decimals; a ratio short of the rule never shows as reaching it (4.499 is "4.49", not "4.50").</summary>
    public static double Shown(double ratio)
    {
        var rounded = Math.Round(ratio, 2, MidpointRounding.AwayFromZero);
        return ratio < TextContrast ? Math.Min(rounded, TextContrast - 0.01) : rounded;
    }
}
