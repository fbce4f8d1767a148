using CustomerInfo.Application.Brand;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.SignUps;

public class PublishFormContrastTests
{
    private static PublishFormDefinitionCommand With(string primary, string background) =>
        new(FormDefinition.StarterFor("Acme") with { Branding = new Branding { PrimaryColor = primary, BackgroundColor = background } });

    [Fact]
    public void Publishing_an_unreadable_primary_is_refused_with_the_ratio_found_and_needed_for_translation()
    {
        var result = new PublishFormDefinitionValidator().Validate(With("#777777", "#ffffff"));

        var failure = result.Errors.ShouldHaveSingleItem();
        failure.PropertyName.ShouldBe("Definition.Branding.PrimaryColor");
        failure.ErrorMessage.ShouldStartWith("Text on this primary colour would have a contrast of 4.48:1; at least 4.5:1 is needed.");
        var template = failure.CustomState.ShouldBeOfType<MessageTemplate>();
        template.Template.ShouldBe(BrandingRules.TextOnPrimaryTooFaint);
        template.Format(new System.Globalization.CultureInfo("nl-NL")).ShouldContain("4,48:1");
    }

    [Theory]
    [InlineData("#ffd400", "#ffffff")]
    [InlineData("#767676", "#ffffff")]
    [InlineData("#1f5f8b", "#f5f7fa")]
    public void Readable_pairs_publish(string primary, string background) =>
        new PublishFormDefinitionValidator().Validate(With(primary, background)).IsValid.ShouldBeTrue();

    [Fact]
    public void A_colour_that_is_not_one_gets_the_shape_message_not_a_contrast_one()
    {
        var result = new PublishFormDefinitionValidator().Validate(With("red", "#ffffff"));

        result.Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe(BrandingRules.NotAColour);
    }
}
