using System.Text;
using CustomerInfo.Application.Accounts.TwoFactor;

namespace CustomerInfo.UnitTests.Application.Accounts;

/// <summary>The one-time code verifier of members and the platform owner (ADR 25).</summary>
public class TotpTests
{
    /// <summary>RFC 6238 appendix B's SHA-1 key.</summary>
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1111111111, "050471")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void Codes_are_those_of_rfc_6238(long unixSeconds, string code) =>
        Totp.Code(RfcKey, Totp.TimeStepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds))).ShouldBe(code);

    [Fact]
    public void A_code_counts_one_step_either_side_of_now_and_no_further()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = Totp.TimeStepAt(now);

        Totp.Match(RfcKey, Totp.Code(RfcKey, step), now).ShouldBe(step);
        Totp.Match(RfcKey, Totp.Code(RfcKey, step - 1), now).ShouldBe(step - 1);
        Totp.Match(RfcKey, Totp.Code(RfcKey, step + 1), now).ShouldBe(step + 1);
        Totp.Match(RfcKey, Totp.Code(RfcKey, step - 2), now).ShouldBeNull();
        Totp.Match(RfcKey, Totp.Code(RfcKey, step + 2), now).ShouldBeNull();
    }

    [Fact]
    public void A_code_of_a_step_used_before_or_older_is_refused()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = Totp.TimeStepAt(now);

        Totp.Match(RfcKey, Totp.Code(RfcKey, step), now, lastUsedStep: step).ShouldBeNull();
        Totp.Match(RfcKey, Totp.Code(RfcKey, step - 1), now, lastUsedStep: step).ShouldBeNull();
        Totp.Match(RfcKey, Totp.Code(RfcKey, step + 1), now, lastUsedStep: step).ShouldBe(step + 1);
    }

    [Theory]
    [InlineData("005 924", "005924")]
    [InlineData("005-924", "005924")]
    [InlineData(" 005924 ", "005924")]
    [InlineData("05924", null)]
    [InlineData("0059245", null)]
    [InlineData("abcdef", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("٠٠٥٩٢٤", null)]
    public void Spaces_and_dashes_are_ignored_anything_but_six_digits_is_no_code(string? typed, string? normalized) =>
        Totp.Normalize(typed).ShouldBe(normalized);

    [Fact]
    public void Base32_round_trips_and_refuses_what_is_not_base32()
    {
        var bytes = Encoding.ASCII.GetBytes("12345678901234567890");
        var text = Base32.Encode(bytes);
        text.ShouldBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        Base32.Decode(text).ShouldBe(bytes);
        Base32.Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").ShouldBe(bytes);
        Base32.Decode("not base32!").ShouldBeNull();
        Base32.Decode("").ShouldBeNull();
        Base32.Decode(null).ShouldBeNull();
        Base32.Encode([0xff]).ShouldBe("74");
    }

    [Fact]
    public void The_app_address_names_the_issuer_and_the_account()
    {
        Totp.OtpAuthUri("CustomerInfo", "Acme Shoes (ann@acme.test)", "GEZDGNBV")
            .ShouldBe("otpauth://totp/CustomerInfo:Acme%20Shoes%20%28ann%40acme.test%29?secret=GEZDGNBV&issuer=CustomerInfo&digits=6&period=30");
        Totp.Grouped("GEZDGNBVGY3TQ").ShouldBe("gezd gnbv gy3t q");
    }
}
