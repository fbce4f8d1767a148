using CustomerInfo.Application.Stores;

namespace CustomerInfo.UnitTests.Application.Stores;

public class KioskTokensTests
{
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA", true)]
    [InlineData("abcDEF012345-_xyzXYZ09", true)]
    [InlineData("abcDEF012345-_xyzXYZ0", false)] // 21
    [InlineData("abcDEF012345-_xyzXYZ090", false)] // 23
    [InlineData("abcDEF012345+/xyzXYZ09", false)] // base64, not base64url
    [InlineData("abcDEF012345 _xyzXYZ09", false)]
    [InlineData("abcDEF012345-_xyzXYZ0٩", false)] // an Arabic-Indic digit
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_token_is_22_base64url_characters(string? token, bool wellFormed) =>
        KioskTokens.IsWellFormed(token).ShouldBe(wellFormed);

    [Theory]
    [InlineData(false, false, KioskLinkState.Live)]
    [InlineData(true, false, KioskLinkState.Revoked)]
    [InlineData(false, true, KioskLinkState.StoreClosed)]
    [InlineData(true, true, KioskLinkState.Revoked)]
    public void A_revoked_link_is_revoked_whatever_its_store_and_a_closed_store_s_live_link_waits(bool revoked, bool closed, KioskLinkState state) =>
        new KioskPlace(Guid.NewGuid(), Guid.NewGuid(), "Station", revoked, closed).State.ShouldBe(state);
}
