using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Domain.SignUps;

public class BrandColoursTests
{
    private static HexColour C(string hex) => HexColour.TryParse(hex, out var c) ? c : throw new ArgumentException(hex);

    [Fact]
    public void Grey_777777_under_white_text_is_refused_at_4_48_to_1_and_says_the_ratio_needed()
    {
        var colours = BrandColours.TryCreate(C("#777777"), C("#ffffff"), out var shortfalls);

        colours.ShouldBeNull();
        var shortfall = shortfalls.ShouldHaveSingleItem();
        shortfall.Pair.ShouldBe(ColourPair.TextOnPrimary);
        BrandColours.Shown(shortfall.Found).ShouldBe(4.48);
        shortfall.Needed.ShouldBe(4.5);
    }

    [Fact]
    public void Grey_767676_under_white_text_is_allowed_at_4_54_to_1()
    {
        var colours = BrandColours.TryCreate(C("#767676"), C("#ffffff"), out var shortfalls);

        shortfalls.ShouldBeEmpty();
        colours.ShouldNotBeNull().OnPrimary.ShouldBe(HexColour.White);
        HexColour.Contrast(C("#767676"), HexColour.White).ShouldBe(4.54, 0.005);
    }

    [Fact]
    public void A_yellow_brand_gets_dark_text_and_is_allowed()
    {
        var colours = BrandColours.TryCreate(C("#ffd400"), C("#ffffff"), out var shortfalls);

        shortfalls.ShouldBeEmpty();
        colours.ShouldNotBeNull().OnPrimary.ShouldBe(HexColour.Ink);
    }

    [Fact]
    public void A_dark_background_under_the_dark_welcome_text_is_refused()
    {
        BrandColours.TryCreate(C("#1f5f8b"), C("#333333"), out var shortfalls).ShouldBeNull();

        var shortfall = shortfalls.ShouldHaveSingleItem();
        shortfall.Pair.ShouldBe(ColourPair.InkOnBackground);
        shortfall.Found.ShouldBeLessThan(4.5);
    }

    [Fact]
    public void A_pair_wrong_on_both_counts_names_both()
    {
        // Mid grey: neither white nor ink reaches 4.5:1 on it.
        BrandColours.Check(C("#808080"), C("#555555")).Select(s => s.Pair)
            .ShouldBe([ColourPair.TextOnPrimary, ColourPair.InkOnBackground]);
    }

    [Fact]
    public void The_shown_ratio_is_rounded_down_so_a_refusal_never_reads_4_5() =>
        BrandColours.Shown(4.4999).ShouldBe(4.49);
}
