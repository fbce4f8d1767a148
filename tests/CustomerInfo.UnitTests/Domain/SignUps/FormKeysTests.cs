using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Domain.SignUps;

public class FormKeysTests
{
    [Theory]
    [InlineData("Favourite colour", "favourite-colour")]
    [InlineData("  Which shop do you visit most?  ", "which-shop-do-you-visit-most")]
    [InlineData("Café & crème brûlée", "cafe-creme-brulee")]
    [InlineData("Geïnteresseerd in ĳs?", "geinteresseerd-in-ijs")]
    [InlineData("Één keer per week", "een-keer-per-week")]
    [InlineData("2-for-1 deals!!", "2-for-1-deals")]
    [InlineData("Straße, Ærø", "strasse-aero")]
    public void A_key_is_the_label_in_lower_case_letters_digits_and_hyphens(string label, string key) =>
        FormKeys.SlugOf(label, "question").ShouldBe(key);

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("???")]
    [InlineData("日本語")]
    [InlineData("🎉🎉")]
    public void A_label_with_nothing_to_make_a_key_from_gets_the_fallback(string? label) =>
        FormKeys.SlugOf(label, "question").ShouldBe("question");

    [Fact]
    public void A_long_label_is_cut_to_forty_characters_without_a_trailing_hyphen()
    {
        var key = FormKeys.SlugOf("How did you first hear about our shop in the city centre?", "question");

        key.Length.ShouldBeLessThanOrEqualTo(FormKeys.MaxLength);
        key.ShouldBe("how-did-you-first-hear-about-our-shop-in");
        FormKeys.IsWellFormed(key).ShouldBeTrue();
    }

    [Fact]
    public void Colliding_labels_get_numbered_keys_that_still_fit()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { "colour" };

        var second = FormKeys.NewKey("Colour", "question", taken);
        taken.Add(second);
        var third = FormKeys.NewKey("COLOUR!", "question", taken);

        (second, third).ShouldBe(("colour-2", "colour-3"));
        var longLabel = new string('a', 60);
        var longTaken = new HashSet<string>(StringComparer.Ordinal) { FormKeys.SlugOf(longLabel, "q") };
        var numbered = FormKeys.NewKey(longLabel, "q", longTaken);
        numbered.ShouldBe(new string('a', 38) + "-2");
        FormKeys.IsWellFormed(numbered).ShouldBeTrue();
    }

    [Fact]
    public void Broken_unicode_makes_a_key_and_is_made_storable()
    {
        FormKeys.SlugOf("ab\uD800cd\uFFFE", "question").ShouldBe("ab-cd");
        FormKeys.WellFormed("a\uDC00b\uD83D\uDE00").ShouldBe("a\uFFFDb\uD83D\uDE00");
    }

    [Theory]
    [InlineData("colour", true)]
    [InlineData("colour-2", true)]
    [InlineData("Colour", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("a b", false)]
    [InlineData("ab\u0000", false)]
    public void A_well_formed_key_is_lower_case_letters_digits_and_hyphens(string? key, bool wellFormed) =>
        FormKeys.IsWellFormed(key).ShouldBe(wellFormed);
}
