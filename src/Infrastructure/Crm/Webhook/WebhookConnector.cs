using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm.Webhook;

/// <summary>
/// POSTs each contact as JSON to the retailer's URL, signed the Standard Webhooks way
/// (docs/webhooks.md): <c>webhook-id</c> (the delivery id, the same on every retry),
/// <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c>
/// (<c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> with the connection's secret).
/// Any 2xx is accepted; the receiver keys by <c>webhook-id</c> to drop duplicates. The timestamp is the
/// wall clock's (not the app's <c>IClock</c>): receivers compare it with their own clocks.
/// </summary>
/// <remarks>
/// Unless <see cref="CrmOptions.AllowPrivateTargets"/> is set, <see cref="Check"/> refuses a URL whose host is a
/// literal private, loopback or link-local address (or "localhost"), and in Production one that is not HTTPS on
/// port 443; the host's DNS answer is checked when the connection is made (<see cref="WebhookTargets"/>).
/// </remarks>
public sealed class WebhookConnector(IHttpClientFactory clients, TimeProvider time, IHostEnvironment environment, IOptions<CrmOptions> options) : ICrmConnector
{
    public const string Kind = CrmNames.Webhook;
    public const string UrlSetting = "url";
    public const string SecretSetting = "secret";
    public const int PayloadVersion = 1;

    /// <summary>
    /// How many contacts of one batch are POSTed at once (each its own signed request with its own
    /// <c>webhook-id</c>): enough to keep up with a kiosk's sign-ups, few enough not to flood a small receiver.
    /// </summary>
    public const int ParallelPosts = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public CrmConnectorInfo Info { get; } = new(
        Kind,
        CrmNames.DisplayName(Kind),
        [new(UrlSetting, CrmSettingKind.Url, Required: true), new(SecretSetting, CrmSettingKind.Token, Required: true, Secret: true, Generated: true)],
        MaxBatchSize: 100,
        CanMerge: false,
        CanErase: true,
        MapsFields: false,
        HasLists: false);

    public IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings)
    {
        var errors = new List<CrmSettingError>();
        if (!settings.TryGetValue(UrlSetting, out var url) || string.IsNullOrWhiteSpace(url))
        {
            errors.Add(new(UrlSetting, CrmSettingProblem.Missing));
        }
        else if (ParseUrl(url) is not { } uri)
        {
            errors.Add(new(UrlSetting, CrmSettingProblem.InvalidUrl));
        }
        else if (!options.Value.AllowPrivateTargets && environment.IsProduction() && (uri.Scheme != Uri.UriSchemeHttps || uri.Port != 443))
        {
            errors.Add(new(UrlSetting, CrmSettingProblem.NotHttps));
        }
        else if (!options.Value.AllowPrivateTargets && WebhookTargets.RefusalOfHost(uri) is not null)
        {
            errors.Add(new(UrlSetting, CrmSettingProblem.PrivateAddress));
        }

        if (!settings.TryGetValue(SecretSetting, out var secret) || !secret.StartsWith("whsec_", StringComparison.Ordinal) || !IsBase64(secret["whsec_".Length..]))
        {
            errors.Add(new(SecretSetting, CrmSettingProblem.Malformed));
        }

        return errors;
    }

    public async Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken) =>
        await PostAsync(target, "test_" + Guid.NewGuid().ToString("N"), new WebhookEvent("ping", PayloadVersion, time.GetUtcNow(), null), [], cancellationToken);

    public Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(new CrmCatalogResult(CrmResult.Done(), new CrmCatalog([], [])));

    public async Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken)
    {
        var results = new CrmResult[contacts.Count];
        await Parallel.ForAsync(0, contacts.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelPosts, CancellationToken = cancellationToken }, async (i, cancel) =>
        {
            var contact = contacts[i];
            var payload = new WebhookEvent(contact.Source == Domain.SignUps.SignUpSource.Import ? "contact.imported" : "contact.signed_up", PayloadVersion, time.GetUtcNow(), WebhookContact.Of(contact));
            results[i] = await PostAsync(target, contact.DeliveryId, payload, [contact.Email, contact.Phone, contact.FirstName, contact.LastName], cancel);
        });

        return results;
    }

    public Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken) =>
        Task.FromResult(CrmResult.Refused(new CrmProblem(CrmProblems.CannotMerge, Kind)));

    public async Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken)
    {
        var payload = new WebhookEvent("contact.erased", PayloadVersion, time.GetUtcNow(), new WebhookErasure(erasure.ContactId, erasure.Email, erasure.Phone));
        return await PostAsync(target, "erase_" + erasure.ContactId.ToString("N"), payload, [erasure.Email, erasure.Phone], cancellationToken);
    }

    /// <summary>The <c>webhook-signature</c> value for one delivery: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
    public static string Sign(string secret, string deliveryId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{deliveryId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(signed);
    }

    private async Task<CrmResult> PostAsync(CrmTarget target, string deliveryId, WebhookEvent payload, IEnumerable<string?> sensitive, CancellationToken cancellationToken)
    {
        if (Check(target.Settings) is { Count: > 0 } errors)
        {
            // Each problem of the settings, in order: the first, with the next as its cause.
            return CrmResult.Refused(errors.Reverse().Aggregate((CrmProblem?)null, (next, e) => Describe(e, target.Setting(UrlSetting)) with { Cause = next })!);
        }

        var secret = target.Setting(SecretSetting)!;
        var body = JsonSerializer.Serialize(payload, Json);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Setting(UrlSetting)!.Trim())
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", deliveryId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(secret, deliveryId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("CustomerInfo-Webhooks/1");

        var answer = await CrmHttp.SendAsync(clients.CreateClient(Kind), request, cancellationToken);
        var host = request.RequestUri!.Host;
        if (answer.Status is { } status && (int)status is >= 300 and < 400)
        {
            return CrmResult.Refused(new CrmProblem(CrmProblems.Redirect, Kind, Host: CrmReason.Clean(host, [secret, .. sensitive]), Status: (int)status));
        }

        return answer.Classify(Kind, host, expectsJson: false, _ => null, [secret, .. sensitive]);
    }

    /// <summary>A http(s) URL without user name or password, control characters or spaces; null when it is not one.</summary>
    private static Uri? ParseUrl(string url)
    {
        var trimmed = url.Trim();
        return !trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.UserInfo)
            && uri.Host.Length > 0
                ? uri
                : null;
    }

    /// <summary>What is wrong, in words for the retailer and the push's stored reason (never the URL's path or the secret).</summary>
    private static CrmProblem Describe(CrmSettingError error, string? url) => (error.Key, error.Problem) switch
    {
        (UrlSetting, CrmSettingProblem.Missing) => new(CrmProblems.WebhookUrlMissing, Kind),
        (UrlSetting, CrmSettingProblem.InvalidUrl) => new(CrmProblems.WebhookUrlInvalid, Kind),
        (UrlSetting, CrmSettingProblem.NotHttps) => new(CrmProblems.WebhookNotHttps, Kind),
        (UrlSetting, CrmSettingProblem.PrivateAddress) => new(CrmProblems.TargetIsNotPublic, Kind, Detail: url is not null && ParseUrl(url) is { } uri && WebhookTargets.RefusalOfHost(uri) is { } refusal ? WebhookTargets.NetworkOf(refusal) : "localhost"),
        (SecretSetting, _) => new(CrmProblems.WebhookSecretInvalid, Kind),
        _ => new(CrmProblems.SettingsInvalid, Kind, Detail: $"{error.Key}: {error.Problem}"),
    };

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return value.Length >= 24 && Convert.TryFromBase64String(value, buffer, out var written) && written >= 24;
    }

    private sealed record WebhookEvent(string Type, int Version, DateTimeOffset Timestamp, object? Data);

    private sealed record WebhookErasure(Guid ContactId, string? Email, string? Phone);

    /// <summary><see cref="IsNew"/> (<c>isNew</c>): a new act of the shopper since the last delivery of this contact the receiver accepted (docs/webhooks.md).</summary>
    private sealed record WebhookConsent(bool Given, DateTimeOffset? GivenAt, string? Text, string? TextVersion, DateTimeOffset? WithdrawnAt, bool IsNew);

    private sealed record WebhookContact(
        string DeliveryId,
        Guid SignUpId,
        Guid ContactId,
        string? Email,
        string? Phone,
        string? FirstName,
        string? LastName,
        string? Birthday,
        string? PostalCode,
        string Language,
        string? Store,
        IReadOnlyDictionary<string, WebhookConsent> Consent,
        IReadOnlyList<CrmAnswer> Answers,
        DateTimeOffset FilledAt,
        DateTimeOffset ReceivedAt,
        bool Late,
        string Source,
        IReadOnlyList<Guid> MergedContactIds)
    {
        public static WebhookContact Of(CrmContact c) => new(
            c.DeliveryId,
            c.SignUpId,
            c.ContactId,
            c.Email,
            c.Phone,
            c.FirstName,
            c.LastName,
            c.ValueOf(CrmSources.Birthday),
            c.PostalCode,
            c.Language,
            c.StoreName,
            new Dictionary<string, WebhookConsent> { ["email"] = ConsentOf(c.EmailConsent), ["sms"] = ConsentOf(c.SmsConsent) },
            c.Answers,
            c.FilledAt,
            c.ReceivedAt,
            c.Late,
            c.Source == Domain.SignUps.SignUpSource.Import ? "import" : "kiosk",
            c.Merged.Select(m => m.ContactId).ToList());

        private static WebhookConsent ConsentOf(CrmConsent consent) => new(consent.Given, consent.GivenAt, consent.Text, consent.TextVersion, consent.WithdrawnAt, consent.IsNew);
    }
}
