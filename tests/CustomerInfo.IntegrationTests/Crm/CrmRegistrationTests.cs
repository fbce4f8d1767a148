using CustomerInfo.Application.Common;
using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace CustomerInfo.IntegrationTests.Crm;

public class CrmRegistrationTests
{
    [Fact]
    public void The_app_offers_HubSpot_and_Klaviyo_by_their_kinds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Crm:TimeoutSeconds"] = "3" }).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IClock, FakeClock>()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production })
            .AddCrm(configuration)
            .BuildServiceProvider();

        var connectors = services.GetRequiredService<ICrmConnectors>();

        connectors.Find("hubspot").ShouldBeOfType<HubSpotConnector>();
        connectors.Find("klaviyo").ShouldBeOfType<KlaviyoConnector>();
        connectors.All.Select(c => c.Kind).ShouldContain("webhook");
        services.GetRequiredService<IHttpClientFactory>().CreateClient(KlaviyoConnector.Kind).Timeout.ShouldBe(TimeSpan.FromSeconds(3));
    }
}
