using CustomerInfo.Web.Pages.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerInfo.UnitTests.Web.Pages;

public class KioskOptionsTests
{
    private static KioskOptions Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
        return new ServiceCollection().AddKioskOptions(configuration).BuildServiceProvider().GetRequiredService<IOptions<KioskOptions>>().Value;
    }

    [Fact]
    public void Queued_sign_ups_expire_after_seven_days_unless_set_otherwise()
    {
        Read().QueueExpiryDays.ShouldBe(7);
        Read(("Kiosk:QueueExpiryDays", "14")).QueueExpiryDays.ShouldBe(14);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("31")]
    [InlineData("-1")]
    public void An_expiry_the_server_could_not_honour_stops_the_app(string days)
    {
        Should.Throw<OptionsValidationException>(() => Read(("Kiosk:QueueExpiryDays", days)))
            .Message.ShouldContain("1 to 30");
    }
}
