using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Crm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// The app for the CRM connection's tests: webhooks may point at loopback receivers, jobs are
/// recorded rather than run (<see cref="Jobs"/>), and a CRM with mapping and lists is on offer
/// besides the webhook (<see cref="FakeListCrmConnector"/>).
/// </summary>
public class CrmAppFactory : AppFactory
{
    public RecordingBackgroundJobs Jobs { get; } = new();

    public FakeListCrmConnector ListCrm { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Crm:AllowPrivateTargets", "true")];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IBackgroundJobs>();
        services.AddSingleton<IBackgroundJobs>(Jobs);
        services.AddSingleton<ICrmConnector>(ListCrm);
    }
}
