using CustomerInfo.Application.Accounts.TwoFactor;

namespace CustomerInfo.UnitTests.Application.Accounts;

/// <summary>Recovery codes are kept as salted hashes and found again as people type them (ADR 25).</summary>
public class RecoveryCodesTests
{
    [Fact]
    public void A_hash_holds_nothing_of_the_code_and_differs_each_time()
    {
        var first = RecoveryCodes.Hash("BCDFG-HJKMN");
        var second = RecoveryCodes.Hash("BCDFG-HJKMN");

        first.ShouldNotContain("BCDFG");
        first.ShouldNotContain("HJKMN");
        first.ShouldNotBe(second);
        RecoveryCodes.Matches(first, "BCDFG-HJKMN").ShouldBeTrue();
        RecoveryCodes.Matches(second, "BCDFG-HJKMN").ShouldBeTrue();
    }

    [Theory]
    [InlineData("BCDFG-HJKMN", true)]
    [InlineData("bcdfg-hjkmn", true)]
    [InlineData("BCDFGHJKMN", true)]
    [InlineData(" bcdfg hjkmn ", true)]
    [InlineData("BCDFG-HJKMP", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_code_matches_whatever_its_case_and_dash(string? typed, bool matches) =>
        RecoveryCodes.Matches(RecoveryCodes.Hash("BCDFG-HJKMN"), typed).ShouldBe(matches);

    [Fact]
    public void The_code_is_found_among_the_stored_ones_and_a_damaged_hash_matches_nothing()
    {
        string[] stored = [RecoveryCodes.Hash("AAAAA-AAAAA"), RecoveryCodes.Hash("BBBBB-BBBBB"), RecoveryCodes.Hash("CCCCC-CCCCC")];

        RecoveryCodes.IndexOf(stored, "bbbbb-bbbbb").ShouldBe(1);
        RecoveryCodes.IndexOf(stored, "DDDDD-DDDDD").ShouldBe(-1);
        RecoveryCodes.Matches("not-a-hash", "AAAAA-AAAAA").ShouldBeFalse();
    }

    [Theory]
    [InlineData("BCDFG-HJKMN", true)]
    [InlineData("123456", false)]
    [InlineData(null, false)]
    public void A_recovery_code_is_told_from_an_app_code(string? typed, bool recovery) =>
        RecoveryCodes.LooksLikeOne(typed).ShouldBe(recovery);
}
