using CustomerInfo.Web.Tenancy;
using Microsoft.Extensions.Options;

namespace CustomerInfo.UnitTests.Web.Tenancy;

public class HostTenantStrategyTests
{
    private static HostTenantStrategy Strategy(string root = "customerinfo.app") =>
        new(Options.Create(new AppOptions { RootDomain = root }));

    [Theory]
    [InlineData("customerinfo.app")]
    [InlineData("CUSTOMERINFO.APP")]
    [InlineData("www.customerinfo.app")]
    [InlineData("customerinfo.app.")]
    public void The_apex_and_www_are_the_platform(string host) =>
        Strategy().Resolve(host).ShouldBe(TenantRequest.Platform);

    [Theory]
    [InlineData("acme.customerinfo.app", "acme")]
    [InlineData("ACME.CustomerInfo.App", "acme")]
    [InlineData("acme.customerinfo.app.", "acme")]
    [InlineData("bike-shop.customerinfo.app", "bike-shop")]
    public void One_label_below_the_root_is_a_store(string host, string identifier) =>
        Strategy().Resolve(host).ShouldBe(TenantRequest.Store(identifier));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("example.com")]
    [InlineData("evilcustomerinfo.app")]
    [InlineData("a.b.customerinfo.app")]
    [InlineData(".customerinfo.app")]
    [InlineData("xn--caf-dma.customerinfo.app")]
    [InlineData("admin.customerinfo.app")]
    [InlineData("hangfire.customerinfo.app")]
    [InlineData("a_b.customerinfo.app")]
    [InlineData("-acme.customerinfo.app")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij.customerinfo.app")]
    public void Anything_else_is_not_found(string? host) =>
        Strategy().Resolve(host).ShouldBe(TenantRequest.NotFound);

    [Fact]
    public void An_over_long_host_is_not_found() =>
        Strategy().Resolve(new string('a', 300) + ".customerinfo.app").ShouldBe(TenantRequest.NotFound);

    [Fact]
    public void The_default_root_is_localhost()
    {
        var strategy = new HostTenantStrategy(Options.Create(new AppOptions()));
        strategy.Resolve("localhost").ShouldBe(TenantRequest.Platform);
        strategy.Resolve("demo.localhost").ShouldBe(TenantRequest.Store("demo"));
    }
}
