using CustomerInfo.Application.Tenants.SetStaffPin;

namespace CustomerInfo.UnitTests.Application.Tenants;

public class SetStaffPinValidatorTests
{
    private static readonly Guid Store = Guid.NewGuid();

    [Fact]
    public void A_store_and_a_pin_that_is_hard_to_guess_pass()
    {
        new SetStaffPinValidator().Validate(new SetStaffPinCommand(Store, "4829")).IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("482", "4 to 8 digits")]
    [InlineData("482917364", "4 to 8 digits")]
    [InlineData("48-29", "4 to 8 digits")]
    [InlineData("", "4 to 8 digits")]
    [InlineData("1111", "too easy to guess")]
    [InlineData("1234", "too easy to guess")]
    [InlineData("8765", "too easy to guess")]
    [InlineData("3434", "too easy to guess")]
    public void A_bad_pin_gets_one_clear_message_that_does_not_repeat_it(string pin, string message)
    {
        var result = new SetStaffPinValidator().Validate(new SetStaffPinCommand(Store, pin));

        var error = result.Errors.ShouldHaveSingleItem();
        error.PropertyName.ShouldBe(nameof(SetStaffPinCommand.Pin));
        error.ErrorMessage.ShouldContain(message);
        if (pin.Length > 0)
        {
            error.ErrorMessage.ShouldNotContain(pin);
        }
    }

    [Fact]
    public void A_pin_needs_a_store()
    {
        var result = new SetStaffPinValidator().Validate(new SetStaffPinCommand(Guid.Empty, "4829"));

        result.Errors.ShouldHaveSingleItem().PropertyName.ShouldBe(nameof(SetStaffPinCommand.TenantId));
    }
}
