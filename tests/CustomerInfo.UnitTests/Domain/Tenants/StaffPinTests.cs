using System.Text;
using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

public class StaffPinTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_pin_matches_only_itself()
    {
        var pin = StaffPin.Create("4829", Now);

        pin.Matches("4829").ShouldBeTrue();
        pin.Matches("4828").ShouldBeFalse();
        pin.Matches("04829").ShouldBeFalse();
        pin.Matches("").ShouldBeFalse();
        pin.Id.ShouldBe(StaffPin.DocumentId);
        pin.SetAt.ShouldBe(Now);
        pin.Iterations.ShouldBe(StaffPin.DefaultIterations);
    }

    [Fact]
    public void The_same_pin_set_twice_gets_a_new_salt_and_so_a_new_hash()
    {
        var first = StaffPin.Create("4829", Now);
        var second = StaffPin.Create("4829", Now);

        second.Salt.ShouldNotBe(first.Salt);
        second.Hash.ShouldNotBe(first.Hash);
        first.Salt.Length.ShouldBe(16);
        first.Hash.Length.ShouldBe(32);
    }

    [Fact]
    public void The_hash_is_standard_pbkdf2_sha256_as_webcrypto_derives_it()
    {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA-256, P = "passwd", S = "salt", c = 1 (first 32 bytes).
        var expected = Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        var pin = new StaffPin(StaffPin.DocumentId, Encoding.UTF8.GetBytes("salt"), 1, expected, Now);

        pin.Matches("passwd").ShouldBeTrue();
    }

    [Fact]
    public void The_device_gets_iterations_salt_and_hash_and_never_the_pin()
    {
        var pin = StaffPin.Create("4829", Now, iterations: 1000);

        var parts = pin.ForDevice.Split('.');
        parts.Length.ShouldBe(3);
        parts[0].ShouldBe("1000");
        Convert.FromBase64String(parts[1]).ShouldBe(pin.Salt);
        Convert.FromBase64String(parts[2]).ShouldBe(pin.Hash);
        pin.ForDevice.ShouldNotContain("4829");
    }

    [Theory]
    [InlineData("4829", true)]
    [InlineData("48291736", true)]
    [InlineData("482", false)]
    [InlineData("482917364", false)]
    [InlineData("48a9", false)]
    [InlineData("48 9", false)]
    [InlineData("٤٨٢٩", false)] // Arabic-Indic digits: digits, but not on the tablet's keypad
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_pin_is_four_to_eight_ascii_digits(string? pin, bool wellFormed) =>
        StaffPin.IsWellFormed(pin).ShouldBe(wellFormed);

    [Theory]
    [InlineData("0000")]
    [InlineData("999999")]
    [InlineData("1234")]
    [InlineData("0123")]
    [InlineData("12345678")]
    [InlineData("4321")]
    [InlineData("9876")]
    [InlineData("1212")]
    [InlineData("909090")]
    [InlineData("2580")]
    public void The_pins_people_try_first_are_easy_to_guess(string pin) =>
        StaffPin.IsEasyToGuess(pin).ShouldBeTrue();

    [Theory]
    [InlineData("4829")]
    [InlineData("1235")]
    [InlineData("1213")]
    [InlineData("2468")]
    [InlineData("12341234")]
    [InlineData("abcd")]
    public void Other_pins_are_not_refused_as_easy(string pin) =>
        StaffPin.IsEasyToGuess(pin).ShouldBeFalse();
}
