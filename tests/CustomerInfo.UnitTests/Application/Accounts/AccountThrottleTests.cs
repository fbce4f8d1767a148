using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.ForgotPassword;

namespace CustomerInfo.UnitTests.Application.Accounts;

public class AccountThrottleTests
{
    private const string Key = "reset-mail:ABC";
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_mail_opens_a_window()
    {
        var (allowed, next) = AccountThrottle.CountMail(null, Key, Start);

        allowed.ShouldBeTrue();
        next.ShouldBe(new ThrottledKey(Key, 1, Start, null));
    }

    [Fact]
    public void Five_mails_go_in_a_window_and_the_sixth_does_not()
    {
        ThrottledKey? state = null;
        var answers = new List<bool>();
        for (var i = 0; i < 6; i++)
        {
            var (allowed, next) = AccountThrottle.CountMail(state, Key, Start.AddMinutes(i * 2));
            answers.Add(allowed);
            state = next;
        }

        answers.ShouldBe([true, true, true, true, true, false]);
        state!.Failures.ShouldBe(5);
    }

    [Fact]
    public void A_refused_mail_is_refused_until_the_window_is_over_then_a_new_window_opens()
    {
        var full = new ThrottledKey(Key, 5, Start, null);

        AccountThrottle.CountMail(full, Key, Start + AccountThrottle.Window - TimeSpan.FromSeconds(1)).Allowed.ShouldBeFalse();
        var (allowed, next) = AccountThrottle.CountMail(full, Key, Start + AccountThrottle.Window);
        allowed.ShouldBeTrue();
        next.ShouldBe(new ThrottledKey(Key, 1, Start + AccountThrottle.Window, null));
    }

    [Fact]
    public void The_key_of_an_address_ignores_case_and_spaces_and_holds_no_address()
    {
        var key = SendPasswordResetHandler.ThrottleKeyOf(" Ann@Acme.test ");

        key.ShouldBe(SendPasswordResetHandler.ThrottleKeyOf("ann@acme.test"));
        key.ShouldNotContain("acme", Case.Insensitive);
    }

    [Theory]
    [InlineData("nl", "nl")]
    [InlineData("en", "en")]
    [InlineData("de", "en")]
    [InlineData(null, "en")]
    public void Mail_goes_out_in_dutch_or_english(string? asked, string expected) =>
        MailLanguage.Of(asked).ShouldBe(expected);
}
