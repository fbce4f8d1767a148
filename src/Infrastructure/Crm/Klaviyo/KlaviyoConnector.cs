using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm.Klaviyo;

/// <summary>
/// Klaviyo with a private API key (<c>Authorization: Klaviyo-API-Key</c>, <c>revision: 2026-07-15</c>,
/// JSON:API bodies). Each contact is upserted by email with <c>POST /api/profile-import</c> (201
/// created, 200 updated: a push that runs twice updates the same profile); then its consent goes to
/// Klaviyo's own subscription calls, one job per kind for the whole batch.
/// <para>
/// Consent, per channel, from the contact's current state:
/// <list type="bullet">
/// <item>Email consent given: subscribed to the chosen list (<c>POST /api/profile-subscription-bulk-create-jobs</c>,
/// up to 1000 profiles, 202). No list, no subscription: we never subscribe anyone to the account's
/// default without a choice. A shopper who unsubscribed and signs up again with the box ticked is
/// subscribed again: a bulk subscribe lifts Klaviyo's unsubscribe suppression, and on a double
/// opt-in list Klaviyo first mails a confirmation.</item>
/// <item>SMS consent given and a phone number Klaviyo takes (E.164): the number is subscribed to SMS
/// on the same list, in a job of its own, so an account without SMS (which refuses the job) still
/// gets the email subscriptions, and the contact's push fails with Klaviyo's reason.</item>
/// <item>Email or SMS consent withdrawn: that channel is unsubscribed
/// (<c>POST /api/profile-subscription-bulk-delete-jobs</c>, up to 100 profiles, 202), whether or not
/// a list is chosen, and without naming one: the shopper withdrew consent to the retailer's
/// marketing, not to one list. SMS needs the phone number to name the subscription.</item>
/// <item>Never given: nothing is sent for that channel; what Klaviyo learnt elsewhere stays.</item>
/// </list>
/// Consent also travels in the import where the retailer mapped <see cref="CrmSources.EmailConsent"/>
/// or <see cref="CrmSources.SmsConsent"/> to a custom property ("true"/"false"), so a segment can act on it.
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

    /// <summary>Klaviyo's bulk unsubscribe takes at most 100 profiles per call.</summary>
    public const int MaxUnsubscribeBatch = 100;

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
            ? CrmResult.Refused(new CrmProblem(CrmProblems.ListNotFound, Kind))
            : answer.Classify(Kind, expectsJson: true, Message, Key(target));
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
            var result = answer.Classify(Kind, expectsJson: true, Message, Key(target));
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
        var emailSubscribe = new List<int>();
        var smsSubscribe = new List<int>();
        var unsubscribe = new List<int>();
        var joinList = new List<int>();
        var list = List(target);
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
                results[i] = CrmResult.Refused(new CrmProblem(CrmProblems.NoEmail, Kind));
                continue;
            }

            results[i] = await ImportAsync(target, contact, cancellationToken);
            if (results[i].Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials)
            {
                stop = results[i];
                continue;
            }

            if (!results[i].Succeeded)
            {
                continue;
            }

            if (KlaviyoProfiles.Subscribes(contact, list))
            {
                emailSubscribe.Add(i);
            }

            if (KlaviyoProfiles.SubscribesSms(contact, list))
            {
                smsSubscribe.Add(i);
            }

            if (KlaviyoProfiles.Unsubscribes(contact))
            {
                unsubscribe.Add(i);
            }

            if (list is not null && contact.EmailConsent is { Given: true, IsNew: false, JoinsList: true } && results[i].RecordId is not null)
            {
                joinList.Add(i);
            }
        }

        foreach (var chunk in emailSubscribe.Chunk(MaxSubscribeBatch))
        {
            await JobAsync(target, contacts, chunk, results, SubscribeEmail, cancellationToken);
        }

        foreach (var chunk in smsSubscribe.Chunk(MaxSubscribeBatch))
        {
            await JobAsync(target, contacts, chunk, results, SubscribeSms, cancellationToken);
        }

        foreach (var chunk in unsubscribe.Chunk(MaxUnsubscribeBatch))
        {
            await JobAsync(target, contacts, chunk, results, Unsubscribe, cancellationToken);
        }

        foreach (var chunk in joinList.Chunk(MaxSubscribeBatch))
        {
            await JoinListAsync(target, contacts, chunk, results, list!, cancellationToken);
        }

        return results;
    }

    public Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken) =>
        Task.FromResult(CrmResult.Refused(new CrmProblem(CrmProblems.CannotMerge, Kind)));

    public async Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        if (KlaviyoProfiles.DeletionProfile(erasure) is not { } profile)
        {
            return CrmResult.Refused(new CrmProblem(CrmProblems.NoKeyToErase, Kind));
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
        return answer.Classify(Kind, expectsJson: false, Message, Key(target), erasure.Email, erasure.Phone);
    }

    private async Task<CrmResult> ImportAsync(CrmTarget target, CrmContact contact, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["data"] = new JsonObject { ["type"] = "profile", ["attributes"] = KlaviyoProfiles.Attributes(contact, target.Mapping) } };
        using var request = Request(target, HttpMethod.Post, "/api/profile-import", body);
        var answer = await SendAsync(request, cancellationToken);
        var result = answer.Classify(Kind, expectsJson: true, Message, [Key(target), .. Sensitive(contact)]);
        if (!result.Succeeded)
        {
            return result;
        }

        using var json = answer.Json()!;
        return KlaviyoProfiles.ProfileId(json.RootElement) is { } id
            ? CrmResult.Done(id)
            : CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Status: (int)answer.Status!, Detail: "data.id"));
    }

    /// <summary>
    /// A consent the CRM knows, told with another list before the retailer chose this one (ADR 19): the profiles become members of
    /// the list with <c>POST /api/lists/{id}/relationships/profiles</c>, which leaves their consent as Klaviyo has it. Bulk subscribe
    /// would not: it lifts an unsubscribe made in Klaviyo since, and a shopper who unsubscribed there must stay unsubscribed.
    /// </summary>
    private async Task JoinListAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, int[] chunk, CrmResult[] results, string list, CancellationToken cancellationToken)
    {
        var ids = chunk.Where(i => results[i].Succeeded).Select(i => results[i].RecordId!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var body = new JsonObject { ["data"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["type"] = "profile", ["id"] = id })]) };
        using var request = Request(target, HttpMethod.Post, $"/api/lists/{Uri.EscapeDataString(list)}/relationships/profiles", body);
        var answer = await SendAsync(request, cancellationToken);
        var outcome = answer.Classify(Kind, expectsJson: false, Message, [Key(target), .. chunk.SelectMany(i => Sensitive(contacts[i]))]);
        if (outcome.Succeeded)
        {
            return;
        }

        foreach (var i in chunk.Where(i => results[i].Succeeded))
        {
            results[i] = outcome.Because(new CrmProblem(CrmProblems.JoinListFailed, Kind, Cause: outcome.AsCause(Kind)));
        }
    }

    private async Task JobAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, int[] chunk, CrmResult[] results, ConsentJob job, CancellationToken cancellationToken)
    {
        var body = job.Body(chunk.Select(i => contacts[i]), List(target));
        using var request = Request(target, HttpMethod.Post, job.Path, body);
        var answer = await SendAsync(request, cancellationToken);
        var outcome = answer.Classify(Kind, expectsJson: false, Message, [Key(target), .. chunk.SelectMany(i => Sensitive(contacts[i]))]);

        // Klaviyo refuses the whole job for one bad profile; send each alone so the others still go.
        if (outcome.Kind == CrmResultKind.Refused && chunk.Length > 1)
        {
            foreach (var i in chunk)
            {
                await JobAsync(target, contacts, [i], results, job, cancellationToken);
            }

            return;
        }

        foreach (var i in chunk)
        {
            // The first failure of a contact is the one it shows; a later job does not hide it.
            results[i] = outcome.Succeeded || !results[i].Succeeded
                ? results[i]
                : outcome.Because(new CrmProblem(job.Failed, Kind, Cause: outcome.AsCause(Kind)));
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
        var errors when errors.Any(e => e is { Key: ApiKeySetting, Problem: CrmSettingProblem.Missing }) => CrmResult.BadCredentials(new CrmProblem(CrmProblems.CredentialsMissing, Kind)),
        var errors when errors.Any(e => e.Key == ApiKeySetting) => CrmResult.BadCredentials(new CrmProblem(CrmProblems.CredentialsMalformed, Kind)),
        _ => CrmResult.Refused(new CrmProblem(CrmProblems.ListInvalid, Kind)),
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

    private static readonly ConsentJob SubscribeEmail = new(
        "/api/profile-subscription-bulk-create-jobs", CrmProblems.SubscribeEmailFailed, (contacts, list) => KlaviyoProfiles.SubscriptionJob(contacts, list!, KlaviyoChannel.Email));

    private static readonly ConsentJob SubscribeSms = new(
        "/api/profile-subscription-bulk-create-jobs", CrmProblems.SubscribeSmsFailed, (contacts, list) => KlaviyoProfiles.SubscriptionJob(contacts, list!, KlaviyoChannel.Sms));

    private static readonly ConsentJob Unsubscribe = new(
        "/api/profile-subscription-bulk-delete-jobs", CrmProblems.UnsubscribeFailed, (contacts, _) => KlaviyoProfiles.UnsubscriptionJob(contacts));

    /// <summary>One kind of consent call: where it goes, the problem the retailer reads when it fails (<see cref="CrmProblems"/>), and its body.</summary>
    private sealed record ConsentJob(string Path, string Failed, Func<IEnumerable<CrmContact>, string?, JsonObject> Body);

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ListId();
}
