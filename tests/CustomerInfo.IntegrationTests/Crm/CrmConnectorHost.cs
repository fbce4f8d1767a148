using CustomerInfo.Application.Common;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure;
using CustomerInfo.Infrastructure.Crm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>
/// The app's CRM registration (<c>AddCrm</c>: the connectors, their HTTP clients and handlers) on its
/// own, with the configuration a test gives, the real clock and an environment of its choice. The
/// connectors talk real HTTP to loopback fakes; no database is needed.
/// </summary>
internal sealed class CrmConnectorHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    public CrmConnectorHost(IEnumerable<KeyValuePair<string, string?>> settings, string environment = "Testing")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddCrm(configuration);
        provider = services.BuildServiceProvider();
    }

    public T Connector<T>()
        where T : ICrmConnector => provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => provider.DisposeAsync();

    public static CrmTarget Target(IReadOnlyDictionary<string, string> settings, params CrmFieldMapping[] mapping) =>
        new(Guid.NewGuid(), Guid.NewGuid(), settings, mapping);

    /// <summary>A shopper as the push sends them; consent given unless told otherwise.</summary>
    public static CrmContact Contact(string email, CrmConsent? emailConsent = null, string? firstName = "Ann", string? lastName = "Example", string? phone = null, string? store = "Acme City Centre", bool late = false) => new(
        DeliveryId: "msg_" + Guid.NewGuid().ToString("N"),
        SignUpId: Guid.NewGuid(),
        ContactId: Guid.NewGuid(),
        RecordId: null,
        Email: email,
        Phone: phone,
        FirstName: firstName,
        LastName: lastName,
        Birthday: new Birthday(14, 2, 1990),
        PostalCode: "10115",
        Language: "en",
        StoreName: store,
        EmailConsent: emailConsent ?? Given,
        SmsConsent: CrmConsent.None,
        Answers: [new CrmAnswer("favourite", "Favourite colour", ["blue", "green"])],
        FilledAt: DateTimeOffset.UtcNow.AddSeconds(-5),
        ReceivedAt: DateTimeOffset.UtcNow,
        Late: late,
        Source: SignUpSource.Kiosk,
        Merged: []);

    public static CrmConsent Given => new(true, DateTimeOffset.UtcNow.AddMinutes(-1), "Yes, send me news by email.", "v1", null);

    public static CrmConsent Withdrawn => CrmConsent.None with { WithdrawnAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "CustomerInfo.Web";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
