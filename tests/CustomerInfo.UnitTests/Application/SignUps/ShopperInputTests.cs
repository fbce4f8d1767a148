using CustomerInfo.Application.SignUps.SubmitSignUp;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class ShopperInputTests
{
    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200B\u200B")]
    [InlineData(" \u200B \uFEFF ")]
    [InlineData("\u202E\u202C")]
    [InlineData("\u2060\u00AD\u200D")]
    [InlineData("\U000E0041")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_name_of_only_invisible_characters_is_no_name(string? typed) =>
        ShopperInput.Name(typed).ShouldBeNull();

    [Theory]
    [InlineData("Ann", "Ann")]
    [InlineData("  Ann ", "Ann")]
    [InlineData("An\u200Bn", "Ann")]
    [InlineData("\u202Eevil\u202C", "evil")]
    [InlineData("\u2066Ann\u2069 \u200Fde Vries", "Ann de Vries")]
    [InlineData("\uFEFFAnn\U000E0020", "Ann")]
    [InlineData("Rene\u0301e", "Ren\u00E9e")]
    [InlineData("\u200B Ann \u200B", "Ann")]
    [InlineData("محمد", "محمد")]
    [InlineData("李小龍", "李小龍")]
    [InlineData("👩👩👧", "👩👩👧")]
    public void A_name_loses_its_format_characters_and_is_kept_in_nfc(string typed, string kept) =>
        ShopperInput.Name(typed).ShouldBe(kept);

    [Theory]
    [InlineData("ann@example.com", "ann@example.com")]
    [InlineData("  Ann@Example.COM ", "Ann@example.com")]
    [InlineData("ann\u200B@exam\u200Dple.com", "ann@example.com")]
    [InlineData("\u202Emoc.elpmaxe@nna", "moc.elpmaxe@nna")]
    [InlineData("\uFEFFann@example.com\u2060", "ann@example.com")]
    [InlineData("ANN@BÜCHER.DE", "ANN@bücher.de")]
    [InlineData("ann@xn--bcher-kva.de", "ann@bücher.de")]
    [InlineData("ann@example\uFF0Ecom", "ann@example.com")]
    [InlineData("Rene\u0301e@example.com", "Ren\u00E9e@example.com")]
    [InlineData("no-at-sign", "no-at-sign")]
    [InlineData("ann@exa_mple.com", "ann@exa_mple.com")]
    public void An_email_is_trimmed_without_format_characters_in_nfc_with_its_domain_lower_cased(string typed, string kept) =>
        ShopperInput.Email(typed).ShouldBe(kept);

    [Theory]
    [InlineData("\u200B")]
    [InlineData(" \u202E ")]
    [InlineData(null)]
    public void An_email_of_only_invisible_characters_is_no_email(string? typed) =>
        ShopperInput.Email(typed).ShouldBeNull();

    [Theory]
    [InlineData("ann@example.com", true)]
    [InlineData("Ann@Example.COM", true)]
    [InlineData("ann\u200B@example.com", true)]
    [InlineData("ann@bücher.de", true)]
    [InlineData("ann@xn--bcher-kva.de", true)]
    [InlineData("ann@gmail", false)]
    [InlineData("ann@exa_mple.com", false)]
    [InlineData("ann@-example.com", false)]
    [InlineData("ann@[127.0.0.1]", false)]
    [InlineData("ann @example.com", false)]
    [InlineData("ann@example.com.", false)]
    [InlineData("ann\u0007@example.com", false)]
    [InlineData("ann\uFFFD@example.com", false)]
    [InlineData("ann@exam\uFFFDple.com", false)]
    [InlineData("\u200B", false)]
    public void An_email_is_one_mail_can_be_sent_to(string typed, bool valid) =>
        ShopperInput.IsEmail(typed).ShouldBe(valid);

    [Theory]
    [InlineData("Ann", true)]
    [InlineData("محمد", true)]
    [InlineData("👩‍👩‍👧", true)]
    [InlineData("Ann\u0007", false)]
    [InlineData("Ann\n", false)]
    [InlineData("Ann\uFFFD", false)]
    [InlineData("Ann\uD800", false)]
    [InlineData("\uDC00Ann", false)]
    public void Control_characters_the_replacement_character_and_lone_surrogates_are_not_printable(string value, bool printable) =>
        ShopperInput.IsPrintable(value).ShouldBe(printable);

    [Fact]
    public void A_name_with_a_lone_surrogate_is_kept_for_the_printable_check_to_refuse() =>
        ShopperInput.IsPrintable(ShopperInput.Name("Ann\uD800")).ShouldBeFalse();
}
