using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.UnitTests.Domain.Tenants;

public class SubdomainTests
{
    [Theory]
    [InlineData("acme", "acme")]
    [InlineData("ACME", "acme")]
    [InlineData("bike-shop-42", "bike-shop-42")]
    [InlineData("a1", "a1")]
    public void A_valid_label_is_kept_in_lower_case(string input, string expected)
    {
        Subdomain.TryParse(input, out var subdomain, out var reason).ShouldBeTrue(reason);
        subdomain!.Value.ShouldBe(expected);
        subdomain.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData(null, "Choose a subdomain.")]
    [InlineData("", "Choose a subdomain.")]
    [InlineData("   ", "Choose a subdomain.")]
    [InlineData("a", "2 to 40 characters")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx", "2 to 40 characters")]
    [InlineData("acme.shop", "letters a–z, digits and hyphens")]
    [InlineData("acme_shop", "letters a–z, digits and hyphens")]
    [InlineData("café", "letters a–z, digits and hyphens")]
    [InlineData("acme shop", "letters a–z, digits and hyphens")]
    [InlineData("<script>", "letters a–z, digits and hyphens")]
    [InlineData("-acme", "cannot start or end with a hyphen")]
    [InlineData("acme-", "cannot start or end with a hyphen")]
    [InlineData("xn--caf-dma", "third and fourth place")]
    [InlineData("www", "reserved")]
    [InlineData("Hangfire", "reserved")]
    [InlineData("owner", "reserved")]
    [InlineData("admin", "reserved")]
    public void An_invalid_label_is_refused_with_a_reason(string? input, string reasonPart)
    {
        Subdomain.TryParse(input, out var subdomain, out var reason).ShouldBeFalse();
        subdomain.ShouldBeNull();
        reason.ShouldNotBeNull().ShouldContain(reasonPart);
    }

    [Fact]
    public void Parse_throws_with_the_reason_for_an_invalid_label() =>
        Should.Throw<FormatException>(() => Subdomain.Parse("api")).Message.ShouldContain("reserved");

    [Fact]
    public void Every_reserved_label_is_refused()
    {
        foreach (var reserved in Subdomain.Reserved)
        {
            Subdomain.TryParse(reserved, out _, out _).ShouldBeFalse(reserved);
        }
    }
}
