using CustomerInfo.TestSupport;

namespace CustomerInfo.UnitTests.TestSupport;

/// <summary>The scan every test app's logs and stored jobs go through (issue 14 §7) finds what it must, and only that.</summary>
public class LeakScanTests
{
    [Theory]
    [InlineData("Stripe answered for sk_test_51Hx0aBcDeFgHiJkLmN")]
    [InlineData("restricted rk_live_0123456789abcdef")]
    [InlineData("signing with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("token pat-eu1-0a1b2c3d-4e5f-6789")]
    [InlineData("Klaviyo pk_0123456789abcdef0123456789abcdef01")]
    [InlineData("Mailchimp 0123456789abcdef0123456789abcdef-us21")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload")]
    [InlineData("<key id=\"1\"><descriptor><masterKey p4:requiresEncryption=\"true\">")]
    public void Secrets_shaped_like_the_keys_we_hold_are_found_and_masked(string line)
    {
        var leak = LoggedPersonalData.LeaksIn([line]).ShouldHaveSingleItem();

        leak.ShouldStartWith("a secret");
        leak.ShouldContain("[secret]");
    }

    [Fact]
    public void A_secret_the_app_was_configured_with_is_found_whatever_its_shape()
    {
        LoggedPersonalData.RememberSecret("plain words as a password 41");

        LoggedPersonalData.LeaksIn(["login failed for plain words as a password 41"]).ShouldHaveSingleItem().ShouldNotContain("password 41");
    }

    [Theory]
    [InlineData("Stripe:SecretKey", true)]
    [InlineData("Stripe:WebhookSecret", true)]
    [InlineData("Smtp:Password", true)]
    [InlineData("PersonalData:IndexKey", true)]
    [InlineData("Crm:AccessToken", true)]
    [InlineData("Stripe:ApiBase", false)]
    [InlineData("Billing:Plans:0:StorePriceId", false)]
    public void Configuration_keys_that_name_secrets_are_told_apart(string key, bool secret) =>
        LoggedPersonalData.IsSecretKey(key).ShouldBe(secret);

    [Theory]
    [InlineData("Push sign-up 1a2b3c4d of acme to HubSpot")]
    [InlineData("{\"TenantId\":\"6f1c2a9e-6c1e-4d7a-9a43-5b0b8d3e2f10\",\"Store\":\"acme\",\"Crm\":\"Mailchimp\"}")]
    [InlineData("Stripe: using the loopback fake at http://127.0.0.1:40161 (no Stripe keys are set)")]
    [InlineData("customer cus_Q1w2E3r4T5y6U7 subscription sub_1Nx2y3z4")]
    public void Ids_names_of_stores_and_addresses_of_fakes_are_not_leaks(string line) =>
        LoggedPersonalData.LeaksIn([line]).ShouldBeEmpty();
}
