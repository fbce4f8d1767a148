using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Domain.SignUps;

public class HexColourTests
{
    [Theory]
    [InlineData("#1F5F8B", "#1f5f8b")]
    [InlineData("  #ffd400 ", "#ffd400")]
    public void Six_hex_digits_after_a_hash_are_a_colour_stored_in_lower_case(string text, string expected)
    {
        HexColour.TryParse(text, out var colour).ShouldBeTrue();
        colour.Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#1234567")]
    [InlineData("javascript:")]
    [InlineData("#ggg000")]
    [InlineData("1f5f8b")]
    [InlineData("#fff")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("#12345;}body{x:y")]
    public void Anything_else_is_not_a_colour(string? text) => HexColour.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#767676", "#ffffff", 4.54)]
    [InlineData("#ffffff", "#ffffff", 1.0)]
    public void Contrast_is_the_WCAG_ratio_whichever_colour_comes_first(string a, string b, double expected)
    {
        var (x, y) = (HexColour.ParseOr(a, HexColour.White), HexColour.ParseOr(b, HexColour.White));
        HexColour.Contrast(x, y).ShouldBe(expected, 0.005);
        HexColour.Contrast(y, x).ShouldBe(HexColour.Contrast(x, y));
    }

    [Theory]
    [InlineData("#1f5f8b", "#ffffff")]
    [InlineData("#ffd400", "#17202b")]
    [InlineData("#000000", "#ffffff")]
    [InlineData("#f5f7fa", "#17202b")]
    public void Readable_text_is_white_or_ink_whichever_contrasts_more(string colour, string text) =>
        HexColour.ParseOr(colour, HexColour.White).ReadableText.Value.ShouldBe(text);
}
