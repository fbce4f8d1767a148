using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// A colour as <c>#rrggbb</c>, lower case: the only shape a brand colour is stored, checked and
/// rendered in, so it is safe inside a style element. WCAG 2.1 relative luminance and contrast ratio.
/// </summary>
public readonly record struct HexColour
{
    private HexColour(string value) => Value = value;

    /// <summary>Near-black text of the kiosk (its <c>--ink</c>).</summary>
    public static readonly HexColour Ink = new("#17202b");

    public static readonly HexColour White = new("#ffffff");

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public string Value { get; }

    /// <summary>Reads <c>#rrggbb</c> (either case, surrounding spaces ignored); nothing else is a colour.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out HexColour colour)
    {
        var trimmed = text?.Trim();
        if (trimmed is { Length: 7 } && trimmed[0] == '#' && !trimmed.AsSpan(1).ContainsAnyExcept(HexDigits))
        {
            colour = new HexColour(trimmed.ToLowerInvariant());
            return true;
        }

        colour = default;
        return false;
    }

    /// <summary><paramref name="text"/> as a colour, or <paramref name="fallback"/> when it is not one.</summary>
    public static HexColour ParseOr(string? text, HexColour fallback) => TryParse(text, out var colour) ? colour : fallback;

    /// <summary>WCAG 2.1 relative luminance, 0 (black) to 1 (white).</summary>
    public double Luminance
    {
        get
        {
            static double Channel(string hex)
            {
                var c = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
                return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }

            var value = Value ?? White.Value;
            return (0.2126 * Channel(value[1..3])) + (0.7152 * Channel(value[3..5])) + (0.0722 * Channel(value[5..7]));
        }
    }

    /// <summary>WCAG contrast ratio of two colours, 1 to 21, the same whichever comes first.</summary>
    public static double Contrast(HexColour a, HexColour b)
    {
        var (light, dark) = a.Luminance >= b.Luminance ? (a.Luminance, b.Luminance) : (b.Luminance, a.Luminance);
        return (light + 0.05) / (dark + 0.05);
    }

    /// <summary>White or the kiosk's ink, whichever reads better on this colour.</summary>
    public HexColour ReadableText => Contrast(this, White) >= Contrast(this, Ink) ? White : Ink;

    public override string ToString() => Value ?? White.Value;
}
