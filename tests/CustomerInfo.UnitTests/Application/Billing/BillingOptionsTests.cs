using CustomerInfo.Application;
using CustomerInfo.Application.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerInfo.UnitTests.Application.Billing;

public class BillingOptionsTests
{
    private static BillingOptions Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
        return new ServiceCollection().AddApplication(configuration).BuildServiceProvider().GetRequiredService<IOptions<BillingOptions>>().Value;
    }

    [Fact]
    public void The_billing_run_passes_four_tenants_at_a_time_unless_set_otherwise()
    {
        Read().RunParallelism.ShouldBe(4);
        Read(("Billing:RunParallelism", "1")).RunParallelism.ShouldBe(1);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("33")]
    public void A_parallelism_outside_1_to_32_stops_the_app(string parallelism)
    {
        Should.Throw<OptionsValidationException>(() => Read(("Billing:RunParallelism", parallelism)))
            .Message.ShouldContain("RunParallelism must be 1 to 32");
    }
}
