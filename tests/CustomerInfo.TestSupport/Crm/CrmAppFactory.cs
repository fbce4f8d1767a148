using System.Text;
using CustomerInfo.Application.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// The app for the CRM connection's tests: webhooks may point at loopback receivers, jobs are
/// recorded rather than run (<see cref="Jobs"/>), and the real Mailchimp, HubSpot and Klaviyo connectors
/// talk over HTTP to <see cref="Mailchimp"/>, <see cref="HubSpot"/> and <see cref="Klaviyo"/> on 127.0.0.1. Mailchimp has the
/// audiences <see cref="NewsletterList"/> (double opt-in) and <see cref="VipList"/> (with a SHOE merge field).
/// </summary>
public class CrmAppFactory : AppFactory
{
    public const string NewsletterList = "l-news";
    public const string VipList = "l-vip";

    /// <summary>A key of Mailchimp's shape for the fake's data centre that the fake refuses (401 API Key Invalid).</summary>
    public const string WrongMailchimpKey = "fedcba9876543210fedcba9876543210-" + FakeMailchimp.DataCentre;

    public RecordingBackgroundJobs Jobs { get; } = new();

    public FakeMailchimp Mailchimp { get; private set; } = null!;

    public FakeHubSpot HubSpot { get; private set; } = null!;

    public FakeKlaviyo Klaviyo { get; private set; } = null!;

    /// <summary>The Mailchimp keys the app called with, oldest first, to prove which tenant's credentials were used.</summary>
    public IReadOnlyList<string?> MailchimpKeysUsed => [.. Mailchimp.Requests.Select(r => KeyOf(r.Header("Authorization")))];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Crm:AllowPrivateTargets", "true"),
        new("Crm:MailchimpBaseUrl", Mailchimp.BaseUrlTemplate),
        new("Crm:HubSpotBaseUrl", HubSpot.BaseUrl),
        new("Crm:KlaviyoBaseUrl", Klaviyo.BaseUrl),
    ];

    public override async Task InitializeAsync()
    {
        Mailchimp = await FakeMailchimp.StartNewAsync();
        Mailchimp.AddList(NewsletterList, "Newsletter", doubleOptIn: true);
        Mailchimp.AddList(VipList, "VIP club").AddMergeField("SHOE", "Shoe size");
        HubSpot = await FakeHubSpot.StartNewAsync();
        Klaviyo = await FakeKlaviyo.StartNewAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Mailchimp.DisposeAsync();
        await HubSpot.DisposeAsync();
        await Klaviyo.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.RemoveAll<IBackgroundJobs>();
        services.AddSingleton<IBackgroundJobs>(Jobs);
    }

    private static string? KeyOf(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        return decoded.Split(':', 2) is [_, var key] ? key : null;
    }
}
