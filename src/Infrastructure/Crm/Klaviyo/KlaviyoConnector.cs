using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Crm;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm.Klaviyo;

/// <summary>
/// Klaviyo with a private API key (<c>Authorization: Klaviyo-API-Key</c>, <c>revision: 2026-07-15</c>,
/// JSON:API bodies). Each contact is upserted by email with <c>POST /api/profile-import</c> (201
/// created, 200 updated: a push that runs twice updates the same profile); then the contacts whose
/// email consent is current are subscribed to the chosen list in one
/// <c>POST /api/profile-subscription-bulk-create-jobs</c> (up to 1000 profiles, 202).
/// <para>
/// Consent: only current email consent subscribes, and only to the list the retailer chose (no list,
/// no subscription: we never subscribe anyone to the account's default without a choice). A shopper
/// who unsubscribed and signs up again with the box ticked is subscribed again: a bulk subscribe
/// lifts Klaviyo's unsubscribe suppression, and on a double opt-in list Klaviyo first mails a
/// confirmation. Withdrawn consent subscribes nothing, and the profile import still carries it
/// where the retailer mapped <see cref="CrmSources.EmailConsent"/> to a custom property ("false"),
/// so a segment can act on it. We do not unsubscribe in Klaviyo: the API revision we build on (the
/// extract in shared/data/crm) has no unsubscribe job, and a shopper withdrawing at the counter is
/// recorded and pushed rather than guessed at. SMS consent is not subscribed (an account without
/// SMS refuses the whole job); it travels as a mapped property too.
/// </para>
/// </summary>
public sealed partial class KlaviyoConnector(IHttpClientFactory clients, IOptions<CrmOptions> options) : ICrmConnector
{
    public const string Kind = CrmNames.Klaviyo;
    public const string ApiKeySetting = "apiKey";
    public const string ListSetting = "listId";
    public const string Revision = "2026-07-15";
    public const string MediaType = "application/vnd.api+json";
    public const int MaxSubscribeBatch = 1000;
    private const string Crm = "Klaviyo";

    /// <summary>Klaviyo's list pages hold at most 10; a retailer with more than 500 lists sees the first 500.</summary>
    private const int MaxListPages = 50;

    public CrmConnectorInfo Info { get; } = new(
        Kind,
        CrmNames.DisplayName(Kind),
        [new(ApiKeySetting, CrmSettingKind.Token, Required: true, Secret: true), new(ListSetting, CrmSettingKind.List, Required: false)],
        MaxBatchSize: 100,
        CanMerge: false,
        CanErase: true,
        MapsFields: true,
        HasLists: true);

    public IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings)
    {
        var errors = new List<CrmSettingError>();
        if (!settings.TryGetValue(ApiKeySetting, out var key) || string.IsNullOrWhiteSpace(key))
        {
            errors.Add(new(ApiKeySetting, CrmSettingProblem.Missing));
        }
        else if (!CrmHeaders.IsHeaderSafe(key.Trim()))
        {
            errors.Add(new(ApiKeySetting, CrmSettingProblem.Malformed));
        }

        if (settings.TryGetValue(ListSetting, out var list) && !string.IsNullOrWhiteSpace(list) && !ListId().IsMatch(list.Trim()))
        {
            errors.Add(new(ListSetting, CrmSettingProblem.Malformed));
        }

        return errors;
    }

    public async Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        var list = List(target);
        using var request = Request(target, HttpMethod.Get, list is null ? "/api/lists?page[size]=1" : $"/api/lists/{Uri.EscapeDataString(list)}", null);
        var answer = await SendAsync(request, cancellationToken);
        return list is not null && answer.Status == System.Net.HttpStatusCode.NotFound
            ? CrmResult.Refused("The key works, but Klaviyo has no list with the chosen id; choose the list again.")
            : answer.Classify(Crm, expectsJson: true, Message, Key(target));
    }

    public async Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return new(problem, null);
        }

        var lists = new List<CrmList>();
        var baseUrl = new Uri(options.Value.KlaviyoBaseUrl.TrimEnd('/') + "/");
        var next = new Uri(baseUrl, "api/lists?page[size]=10");
        for (var page = 0; next is not null && page < MaxListPages; page++)
        {
            using var request = Request(target, HttpMethod.Get, next);
            var answer = await SendAsync(request, cancellationToken);
            var result = answer.Classify(Crm, expectsJson: true, Message, Key(target));
            if (!result.Succeeded)
            {
                return new(result, null);
            }

            using var json = answer.Json()!;
            lists.AddRange(KlaviyoProfiles.Lists(json.RootElement));
            next = KlaviyoProfiles.NextPage(json.RootElement, baseUrl);
        }

        var custom = await CustomPropertiesAsync(target, cancellationToken);
        return new(CrmResult.Done(), new CrmCatalog([.. KlaviyoProfiles.StandardFields, .. custom], lists));
    }

    public async Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return contacts.Select(_ => problem).ToList();
        }

        var results = new CrmResult[contacts.Count];
        var toSubscribe = new List<int>();
        CrmResult? stop = null;
        for (var i = 0; i < contacts.Count; i++)
        {
            if (stop is not null)
            {
                // Throttled, down or a bad key: the next calls would fare the same, so they are not made.
                results[i] = stop;
                continue;
            }

            var contact = contacts[i];
            if (KlaviyoProfiles.Email(contact.Email) is null)
            {
                results[i] = CrmResult.Refused("Klaviyo finds profiles by email address here, and this contact has none, so it was not sent.");
                continue;
            }

            results[i] = await ImportAsync(target, contact, cancellationToken);
            if (results[i].Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials)
            {
                stop = results[i];
            }
            else if (results[i].Succeeded && KlaviyoProfiles.Subscribes(contact, List(target)))
            {
                toSubscribe.Add(i);
            }
        }

        foreach (var chunk in toSubscribe.Chunk(MaxSubscribeBatch))
        {
            await SubscribeAsync(target, contacts, chunk, results, cancellationToken);
        }

        return results;
    }

    public Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken) =>
        Task.FromResult(CrmResult.Refused("Klaviyo cannot merge profiles through its API; the surviving contact is pushed instead."));

    public async Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        if (KlaviyoProfiles.DeletionProfile(erasure) is not { } profile)
        {
            return CrmResult.Refused("This contact has neither an email address, a phone number nor a Klaviyo profile id, so Klaviyo cannot find it to erase it.");
        }

        var body = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["type"] = "data-privacy-deletion-job",
                ["attributes"] = new JsonObject { ["profile"] = new JsonObject { ["data"] = profile } },
            },
        };
        using var request = Request(target, HttpMethod.Post, "/api/data-privacy-deletion-jobs", body);
        var answer = await SendAsync(request, cancellationToken);
        return answer.Classify(Crm, expectsJson: false, Message, Key(target), erasure.Email, erasure.Phone);
    }

    private async Task<CrmResult> ImportAsync(CrmTarget target, CrmContact contact, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["data"] = new JsonObject { ["type"] = "profile", ["attributes"] = KlaviyoProfiles.Attributes(contact, target.Mapping) } };
        using var request = Request(target, HttpMethod.Post, "/api/profile-import", body);
        var answer = await SendAsync(request, cancellationToken);
        var result = answer.Classify(Crm, expectsJson: true, Message, [Key(target), .. Sensitive(contact)]);
        if (!result.Succeeded)
        {
            return result;
        }

        using var json = answer.Json()!;
        return KlaviyoProfiles.ProfileId(json.RootElement) is { } id
            ? CrmResult.Done(id)
            : CrmResult.TryLater($"{Crm} answered {(int)answer.Status!} without the profile's id.");
    }

    private async Task SubscribeAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, int[] chunk, CrmResult[] results, CancellationToken cancellationToken)
    {
        var body = KlaviyoProfiles.SubscriptionJob(chunk.Select(i => contacts[i]), List(target)!);
        using var request = Request(target, HttpMethod.Post, "/api/profile-subscription-bulk-create-jobs", body);
        var answer = await SendAsync(request, cancellationToken);
        var outcome = answer.Classify(Crm, expectsJson: false, Message, [Key(target), .. chunk.SelectMany(i => Sensitive(contacts[i]))]);

        // Klaviyo refuses the whole job for one bad profile; subscribe each alone so the others still go.
        if (outcome.Kind == CrmResultKind.Refused && chunk.Length > 1)
        {
            foreach (var i in chunk)
            {
                await SubscribeAsync(target, contacts, [i], results, cancellationToken);
            }

            return;
        }

        foreach (var i in chunk)
        {
            results[i] = outcome.Succeeded
                ? results[i]
                : outcome with { Reason = CrmReason.Clean($"The profile was saved, but subscribing it to the list failed: {outcome.Reason}") };
        }
    }

    /// <summary>
    /// Custom properties have no listing call of their own: they are the names seen on one page of
    /// profiles, asked for with <c>fields[profile]=properties</c> so no one's details come back.
    /// A failure here costs only the custom names; the standard fields and the lists still show.
    /// </summary>
    private async Task<IReadOnlyList<CrmField>> CustomPropertiesAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        using var request = Request(target, HttpMethod.Get, "/api/profiles?fields[profile]=properties&page[size]=100", null);
        var answer = await SendAsync(request, cancellationToken);
        if (!answer.IsSuccess || answer.Json() is not { } json)
        {
            return [];
        }

        using (json)
        {
            return KlaviyoProfiles.CustomFields(json.RootElement);
        }
    }

    private CrmResult? Unusable(CrmTarget target) => Check(target.Settings) switch
    {
        [] => null,
        var errors when errors.Any(e => e is { Key: ApiKeySetting, Problem: CrmSettingProblem.Missing }) => CrmResult.BadCredentials("No Klaviyo private API key is set; enter it in the connection settings."),
        var errors when errors.Any(e => e.Key == ApiKeySetting) => CrmResult.BadCredentials("The Klaviyo API key contains characters no key has (spaces, line breaks or non-ASCII letters); copy it again from Klaviyo's API keys page."),
        _ => CrmResult.Refused("The chosen Klaviyo list id is not one Klaviyo gives out; choose the list again."),
    };

    private static string Key(CrmTarget target) => target.Setting(ApiKeySetting)!.Trim();

    private static string? List(CrmTarget target) => target.Setting(ListSetting)?.Trim();

    private HttpRequestMessage Request(CrmTarget target, HttpMethod method, string path, JsonNode? body) =>
        Request(target, method, new Uri(options.Value.KlaviyoBaseUrl.TrimEnd('/') + path), body);

    private static HttpRequestMessage Request(CrmTarget target, HttpMethod method, Uri uri, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Klaviyo-API-Key", Key(target));
        request.Headers.Add("revision", Revision);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        }

        return request;
    }

    private Task<CrmHttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        CrmHttp.SendAsync(clients.CreateClient(Kind), request, cancellationToken);

    private static IEnumerable<string?> Sensitive(CrmContact contact) =>
        [contact.Email, contact.Phone, KlaviyoProfiles.PhoneNumber(contact.Phone), contact.FirstName, contact.LastName, contact.PostalCode, contact.ValueOf(CrmSources.Birthday)];

    /// <summary>Klaviyo's error text: each error's <c>detail</c> (or its <c>title</c>), joined.</summary>
    internal static string? Message(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = errors.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.Object)
            .Select(e => e.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                : e.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .Distinct()
            .ToList();
        return texts.Count == 0 ? null : string.Join("; ", texts);
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ListId();
}
