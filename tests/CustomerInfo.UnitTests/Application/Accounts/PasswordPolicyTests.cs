using CustomerInfo.Application.Accounts;

namespace CustomerInfo.UnitTests.Application.Accounts;

public class PasswordPolicyTests
{
    [Theory]
    [InlineData("correct horse")]
    [InlineData("tien tekens")]
    [InlineData("ääääääääää")]
    [InlineData("1029384756")]
    public void Ten_characters_that_are_not_common_are_enough_without_composition_rules(string password) =>
        PasswordPolicy.Problem(password).ShouldBeNull();

    [Theory]
    [InlineData(null, PasswordPolicy.Missing)]
    [InlineData("", PasswordPolicy.Missing)]
    [InlineData("short", PasswordPolicy.TooShort)]
    [InlineData("nine char", PasswordPolicy.TooShort)]
    public void Short_passwords_are_refused_with_the_rule(string? password, string problem) =>
        PasswordPolicy.Problem(password).ShouldBe(problem);

    [Fact]
    public void Length_counts_what_a_person_sees_so_five_emoji_are_five_characters() =>
        PasswordPolicy.Problem("👍🏽👍🏽👍🏽👍🏽👍🏽").ShouldBe(PasswordPolicy.TooShort);

    [Theory]
    [InlineData("1234567890")]
    [InlineData("qwertyuiop")]
    [InlineData("BASKETBALL")]
    [InlineData("Qwertyuiop")]
    [InlineData("basketBall")]
    public void The_most_common_passwords_are_refused_in_any_case(string password) =>
        PasswordPolicy.Problem(password).ShouldBe(PasswordPolicy.TooCommon);

    [Fact]
    public void The_whole_list_of_ten_thousand_is_loaded()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "CommonPasswords.txt"));
        lines.Length.ShouldBe(10_000);
        foreach (var common in lines.Where(l => l.Length >= PasswordPolicy.MinimumLength))
        {
            PasswordPolicy.Problem(common).ShouldBe(PasswordPolicy.TooCommon, common);
        }
    }

    [Fact]
    public void A_password_longer_than_any_passphrase_is_refused() =>
        PasswordPolicy.Problem(new string('x', PasswordPolicy.MaximumLength + 1)).ShouldBe(PasswordPolicy.TooLong);
}
