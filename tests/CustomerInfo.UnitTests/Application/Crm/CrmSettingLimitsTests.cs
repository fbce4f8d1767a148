using CustomerInfo.Application.Common.Text;
using CustomerInfo.Application.Crm.Connection;

namespace CustomerInfo.UnitTests.Application.Crm;

public class CrmSettingLimitsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://hooks.example.com/customer-info?key=a1b2")]
    [InlineData("Lijst voor één winkel ☕ \u202Eomgekeerd\u202C")]
    public void A_value_on_one_line_without_control_characters_is_one_line(string? value) =>
        CrmSettingLimits.IsOneLine(value).ShouldBeTrue();

    [Theory]
    [InlineData("key\u0000")]
    [InlineData("\u0001key")]
    [InlineData("ke\u001By")]
    [InlineData("key\u007F")]
    [InlineData("key\u0085")]
    [InlineData("key\u009F")]
    public void A_value_with_a_control_character_the_one_rule_refuses_is_not(string value)
    {
        ControlCharacters.AreAbsentFrom(value).ShouldBeFalse();
        CrmSettingLimits.IsOneLine(value).ShouldBeFalse();
    }

    [Theory]
    [InlineData("first\nsecond")]
    [InlineData("first\rsecond")]
    [InlineData("first\r\n")]
    [InlineData("list\tid")]
    public void A_value_with_a_line_break_or_a_tab_which_the_one_rule_lets_through_as_text_is_not(string value)
    {
        ControlCharacters.AreAbsentFrom(value).ShouldBeTrue();
        CrmSettingLimits.IsOneLine(value).ShouldBeFalse();
    }
}
