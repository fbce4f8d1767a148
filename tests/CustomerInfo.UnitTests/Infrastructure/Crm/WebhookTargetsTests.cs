using System.Net;
using CustomerInfo.Infrastructure.Crm.Webhook;

namespace CustomerInfo.UnitTests.Infrastructure.Crm;

public class WebhookTargetsTests
{
    [Theory]
    [InlineData("10.0.0.1", "a private address (10.0.0.0/8)")]
    [InlineData("10.255.255.255", "a private address (10.0.0.0/8)")]
    [InlineData("172.16.0.1", "a private address (172.16.0.0/12)")]
    [InlineData("172.31.255.254", "a private address (172.16.0.0/12)")]
    [InlineData("192.168.1.10", "a private address (192.168.0.0/16)")]
    [InlineData("127.0.0.1", "a loopback address (127.0.0.0/8)")]
    [InlineData("127.1.2.3", "a loopback address (127.0.0.0/8)")]
    [InlineData("169.254.169.254", "a link-local address (169.254.0.0/16)")]
    [InlineData("0.0.0.0", "an unspecified address (0.0.0.0/8)")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT) address (100.64.0.0/10)")]
    [InlineData("100.127.255.255", "a shared (carrier-grade NAT) address (100.64.0.0/10)")]
    [InlineData("224.0.0.251", "a multicast address (224.0.0.0/4)")]
    [InlineData("255.255.255.255", "a reserved address (240.0.0.0/4)")]
    [InlineData("192.0.2.5", "a documentation address (192.0.2.0/24)")]
    [InlineData("::1", "a loopback address (::1/128)")]
    [InlineData("::", "an unspecified address (::/128)")]
    [InlineData("fc00::1", "a private (unique local) address (fc00::/7)")]
    [InlineData("fd12:3456:789a::1", "a private (unique local) address (fc00::/7)")]
    [InlineData("fe80::1", "a link-local address (fe80::/10)")]
    [InlineData("fe80::1%2", "a link-local address (fe80::/10)")]
    [InlineData("ff02::1", "a multicast address (ff00::/8)")]
    [InlineData("2001:db8::1", "a documentation address (2001:db8::/32)")]
    [InlineData("::ffff:10.0.0.1", "a private address (10.0.0.0/8)")]
    [InlineData("::ffff:127.0.0.1", "a loopback address (127.0.0.0/8)")]
    [InlineData("::ffff:169.254.169.254", "a link-local address (169.254.0.0/16)")]
    [InlineData("::127.0.0.1", "a loopback address (127.0.0.0/8)")]
    [InlineData("64:ff9b::a00:1", "a private address (10.0.0.0/8)")]
    [InlineData("2002:c0a8:0101::1", "a private address (192.168.0.0/16)")]
    public void Addresses_a_webhook_may_not_reach_are_refused_with_their_kind(string address, string refusal) =>
        WebhookTargets.Refusal(IPAddress.Parse(address)).ShouldBe(refusal);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82a::200e")]
    [InlineData("::ffff:93.184.215.14")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_are_allowed(string address) =>
        WebhookTargets.Refusal(IPAddress.Parse(address)).ShouldBeNull();

    [Theory]
    [InlineData("https://127.0.0.1/hook", "a loopback address (127.0.0.0/8)")]
    [InlineData("https://[::1]:8443/hook", "a loopback address (::1/128)")]
    [InlineData("https://[::ffff:10.1.2.3]/hook", "a private address (10.0.0.0/8)")]
    [InlineData("https://localhost/hook", "a loopback address (localhost)")]
    [InlineData("https://LOCALHOST./hook", "a loopback address (localhost)")]
    [InlineData("https://app.localhost/hook", "a loopback address (localhost)")]
    [InlineData("https://hooks.example.com/hook", null)]
    [InlineData("https://93.184.215.14/hook", null)]
    public void A_urls_literal_host_is_checked_before_any_call(string url, string? refusal) =>
        WebhookTargets.RefusalOfHost(new Uri(url)).ShouldBe(refusal);
}
