using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm.Mailchimp;

/// <summary>
/// Mailchimp Marketing API 3.0, list members (docs/crm-connectors.md). The data centre comes from the
/// API key's suffix (<c>…-us21</c>); calls use HTTP Basic with the key as password. Each contact is one
/// <c>PUT /lists/{list}/members/{md5 of the lower-cased email}</c> after a read of the member's status
/// (an unsubscribed address must become <c>pending</c>, never <c>subscribed</c>), then its tags. The list
/// (double opt-in) and its merge fields are read once per batch.
/// </summary>
public sealed partial class MailchimpConnector(IHttpClientFactory clients, IOptions<CrmOptions> options) : ICrmConnector
{
    public const string Kind = CrmNames.Mailchimp;
    public const string ApiKeySetting = "apiKey";
    public const string ListSetting = "listId";

    /// <summary>The tag every member we push gets, so a retailer can find (segment) the shoppers from the kiosk.</summary>
    public const string SourceTag = "CustomerInfo";

    /// <summary>The tag of a sign-up that came late from a tablet's offline queue, so a welcome journey can skip it.</summary>
    public const string LateTag = "Late sign-up";

    /// <summary>Lists and merge fields per page: Mailchimp's default is 10 and its maximum 1000.</summary>
    internal const int PageSize = 100;

    private const int MaxPages = 100;

    private static readonly CrmResult ListNotFound =
        CrmResult.Refused(new CrmProblem(CrmProblems.ListNotFound, Kind));

    /// <summary>Used when the retailer mapped nothing, for the tags the list has.</summary>
    private static readonly IReadOnlyList<CrmFieldMapping> DefaultMapping =
        [new(CrmSources.FirstName, "FNAME"), new(CrmSources.LastName, "LNAME"), new(CrmSources.Phone, "PHONE")];

    public CrmConnectorInfo Info { get; } = new(
        Kind,
        CrmNames.DisplayName(Kind),
        [new(ApiKeySetting, CrmSettingKind.Token, Required: true, Secret: true), new(ListSetting, CrmSettingKind.List, Required: true)],
        MaxBatchSize: 10,
        CanMerge: false,
        CanErase: true,
        MapsFields: true,
        HasLists: true);

    public IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings)
    {
        var errors = new List<CrmSettingError>();
        if (ApiKeyProblem(settings) is { } keyProblem)
        {
            errors.Add(new(ApiKeySetting, keyProblem));
        }

        if (!settings.TryGetValue(ListSetting, out var list) || string.IsNullOrWhiteSpace(list))
        {
            errors.Add(new(ListSetting, CrmSettingProblem.Missing));
        }
        else if (!ListId().IsMatch(list.Trim()))
        {
            errors.Add(new(ListSetting, CrmSettingProblem.Malformed));
        }

        return errors;
    }

    public async Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Open(target, needsList: false) is not { } api)
        {
            return SettingsRefused(target);
        }

        using var ping = api.Request(HttpMethod.Get, "ping");
        var pinged = (await api.SendAsync(ping, cancellationToken)).Classify(Kind, expectsJson: true, ProblemText, api.Key);
        if (!pinged.Succeeded || api.ListId is null)
        {
            return pinged;
        }

        var (listResult, _) = await ReadListAsync(api, cancellationToken);
        return listResult;
    }

    public async Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Open(target, needsList: false) is not { } api)
        {
            return new(SettingsRefused(target), null);
        }

        var (listsResult, lists) = await PageAsync(api, "lists", "lists", "fields=lists.id,lists.name,lists.double_optin,total_items", null, cancellationToken);
        if (!listsResult.Succeeded)
        {
            return new(listsResult, null);
        }

        var catalogLists = lists
            .Select(l => new CrmList(Text(l, "id") ?? string.Empty, Text(l, "name") ?? string.Empty, l.TryGetProperty("double_optin", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False ? d.GetBoolean() : null))
            .Where(l => l.Id.Length > 0)
            .ToList();
        if (api.ListId is null)
        {
            return new(CrmResult.Done(), new CrmCatalog([], catalogLists));
        }

        var (fieldsResult, fields) = await ReadMergeFieldsAsync(api, cancellationToken);
        return fieldsResult.Succeeded
            ? new(CrmResult.Done(), new CrmCatalog(fields.Select(f => new CrmField(f.Tag, f.Name, f.Type, f.Required)).ToList(), catalogLists))
            : new(fieldsResult, null);
    }

    public async Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken)
    {
        if (Open(target, needsList: true) is not { } api)
        {
            return [.. contacts.Select(_ => SettingsRefused(target))];
        }

        var (listResult, doubleOptIn) = await ReadListAsync(api, cancellationToken);
        if (!listResult.Succeeded)
        {
            return [.. contacts.Select(_ => listResult)];
        }

        var (fieldsResult, fields) = await ReadMergeFieldsAsync(api, cancellationToken);
        if (!fieldsResult.Succeeded)
        {
            return [.. contacts.Select(_ => fieldsResult)];
        }

        var (mappingResult, mapping) = MappingFor(target.Mapping, fields);
        if (!mappingResult.Succeeded)
        {
            return [.. contacts.Select(_ => mappingResult)];
        }

        var results = new List<CrmResult>(contacts.Count);
        foreach (var contact in contacts)
        {
            results.Add(await UpsertOneAsync(api, contact, doubleOptIn, mapping, cancellationToken));
        }

        return results;
    }

    public Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken) =>
        Task.FromResult(CrmResult.Refused(new CrmProblem(CrmProblems.CannotMerge, Kind)));

    public async Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken)
    {
        if (Open(target, needsList: true) is not { } api)
        {
            return SettingsRefused(target);
        }

        if (string.IsNullOrWhiteSpace(erasure.Email))
        {
            // Mailchimp keys members by email only: a shopper without one was never there.
            return CrmResult.Done();
        }

        using var request = api.Request(HttpMethod.Post, $"lists/{api.ListPath}/members/{SubscriberHash(erasure.Email)}/actions/delete-permanent");
        var answer = await api.SendAsync(request, cancellationToken);
        return answer.Status == HttpStatusCode.NotFound
            ? CrmResult.Done()
            : Classify(answer, expectsJson: false, api, erasure.Email, erasure.Phone);
    }

    /// <summary>Mailchimp's subscriber hash: the lower-case hex MD5 of the lower-cased address.</summary>
    public static string SubscriberHash(string email)
    {
#pragma warning disable CA5351 // Mailchimp's API names members by this MD5; it protects nothing.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The data centre in an API key (<c>…-us21</c> → <c>us21</c>), or null when the key has none.</summary>
    public static string? DataCentreOf(string? apiKey) =>
        apiKey is not null && ApiKey().Match(apiKey.Trim()) is { Success: true } match ? match.Groups["dc"].Value : null;

    private static async Task<CrmResult> UpsertOneAsync(MailchimpApi api, CrmContact contact, bool doubleOptIn, IReadOnlyList<MappedField> mapping, CancellationToken cancellationToken)
    {
        string?[] sensitive = [api.Key, contact.Email, contact.Phone, contact.FirstName, contact.LastName];
        if (string.IsNullOrWhiteSpace(contact.Email))
        {
            return CrmResult.Refused(new CrmProblem(CrmProblems.NoEmail, Kind));
        }

        var email = contact.Email.Trim();
        var memberPath = $"lists/{api.ListPath}/members/{SubscriberHash(email)}";

        using var read = api.Request(HttpMethod.Get, memberPath + "?fields=status");
        var existing = await api.SendAsync(read, cancellationToken);
        string? existingStatus = null;
        if (existing.Status != HttpStatusCode.NotFound)
        {
            var readResult = Classify(existing, expectsJson: true, api, sensitive);
            if (!readResult.Succeeded)
            {
                return readResult;
            }

            using var json = existing.Json()!;
            existingStatus = Text(json.RootElement, "status");
        }

        var change = MailchimpStatus.Decide(contact.EmailConsent, existingStatus, doubleOptIn);
        var body = new JsonObject
        {
            ["email_address"] = email,
            ["status_if_new"] = change.StatusIfNew,
            ["language"] = contact.Language,
        };
        if (change.Status is not null)
        {
            body["status"] = change.Status;
        }

        var mergeFields = new JsonObject();
        foreach (var field in mapping)
        {
            if (MergeValue(contact, field) is { } value)
            {
                mergeFields[field.Tag] = value;
            }
        }

        body["merge_fields"] = mergeFields;

        using var put = api.Request(HttpMethod.Put, memberPath);
        put.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var written = await api.SendAsync(put, cancellationToken);
        var putResult = Classify(written, expectsJson: true, api, sensitive);
        if (!putResult.Succeeded)
        {
            return putResult;
        }

        string? recordId;
        using (var member = written.Json()!)
        {
            // unique_email_id: Mailchimp's own id of the member, not derived from the address (the hash is).
            recordId = Text(member.RootElement, "unique_email_id");
        }

        var tags = new JsonArray();
        foreach (var tag in TagsOf(contact))
        {
            tags.Add(new JsonObject { ["name"] = tag, ["status"] = "active" });
        }

        using var tagging = api.Request(HttpMethod.Post, memberPath + "/tags");
        tagging.Content = new StringContent(new JsonObject { ["tags"] = tags, ["is_syncing"] = true }.ToJsonString(), Encoding.UTF8, "application/json");
        var tagResult = Classify(await api.SendAsync(tagging, cancellationToken), expectsJson: false, api, sensitive);
        return tagResult.Succeeded ? CrmResult.Done(recordId) : tagResult;
    }

    private static IEnumerable<string> TagsOf(CrmContact contact)
    {
        yield return SourceTag;
        if (!string.IsNullOrWhiteSpace(contact.StoreName))
        {
            // Mailchimp's tag names are at most 100 characters.
            var store = contact.StoreName.Trim();
            yield return store.Length <= 100 ? store : store[..100];
        }

        if (contact.Late)
        {
            yield return LateTag;
        }
    }

    /// <summary>A value in the form the merge field's type takes, or null to leave the field as it is.</summary>
    private static string? MergeValue(CrmContact contact, MappedField field)
    {
        if (field.Source == CrmSources.Birthday && contact.Birthday is { } birthday)
        {
            return field.Type switch
            {
                "birthday" => $"{birthday.Month:D2}/{birthday.Day:D2}",
                "date" when birthday.Year is { } year => $"{year:D4}-{birthday.Month:D2}-{birthday.Day:D2}",
                "date" => null,
                _ => contact.ValueOf(field.Source),
            };
        }

        var value = contact.ValueOf(field.Source);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>
    /// The retailer's mapping checked against the list's merge fields now: a mapped tag the list no
    /// longer has fails every push with that reason (the retailer must map it again). No mapping: the
    /// first name, last name and phone go to FNAME, LNAME and PHONE where the list has them.
    /// </summary>
    private static (CrmResult Result, IReadOnlyList<MappedField> Mapping) MappingFor(IReadOnlyList<CrmFieldMapping> mapping, IReadOnlyList<MergeField> fields)
    {
        var byTag = fields.ToDictionary(f => f.Tag, StringComparer.OrdinalIgnoreCase);
        if (mapping.Count == 0)
        {
            return (CrmResult.Done(), DefaultMapping.Where(m => byTag.ContainsKey(m.Target)).Select(m => new MappedField(m.Source, byTag[m.Target].Tag, byTag[m.Target].Type)).ToList());
        }

        var missing = mapping.Where(m => !byTag.ContainsKey(m.Target)).Select(m => m.Target).Distinct().ToList();
        if (missing.Count > 0)
        {
            return (CrmResult.Refused(new CrmProblem(CrmProblems.MergeFieldsMissing, Kind, Detail: CrmReason.Clean(string.Join(", ", missing)))), []);
        }

        return (CrmResult.Done(), mapping.Select(m => new MappedField(m.Source, byTag[m.Target].Tag, byTag[m.Target].Type)).ToList());
    }

    private static async Task<(CrmResult Result, bool DoubleOptIn)> ReadListAsync(MailchimpApi api, CancellationToken cancellationToken)
    {
        using var request = api.Request(HttpMethod.Get, $"lists/{api.ListPath}?fields=id,name,double_optin");
        var answer = await api.SendAsync(request, cancellationToken);
        if (answer.Status == HttpStatusCode.NotFound)
        {
            return (ListNotFound, false);
        }

        var result = Classify(answer, expectsJson: true, api);
        if (!result.Succeeded)
        {
            return (result, false);
        }

        using var json = answer.Json()!;
        return (result, json.RootElement.TryGetProperty("double_optin", out var d) && d.ValueKind == JsonValueKind.True);
    }

    private static async Task<(CrmResult Result, IReadOnlyList<MergeField> Fields)> ReadMergeFieldsAsync(MailchimpApi api, CancellationToken cancellationToken)
    {
        var (result, items) = await PageAsync(api, $"lists/{api.ListPath}/merge-fields", "merge_fields", "fields=merge_fields.tag,merge_fields.name,merge_fields.type,merge_fields.required,total_items", ListNotFound, cancellationToken);

        var fields = items
            .Select(f => new MergeField(Text(f, "tag") ?? string.Empty, Text(f, "name") ?? string.Empty, Text(f, "type") ?? "text", f.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True))
            .Where(f => f.Tag.Length > 0)
            .ToList();
        return (result, fields);
    }

    /// <summary>Every item of a paged collection: Mailchimp answers 10 per page unless asked, with <c>total_items</c>.</summary>
    private static async Task<(CrmResult Result, IReadOnlyList<JsonElement> Items)> PageAsync(MailchimpApi api, string path, string collection, string fields, CrmResult? notFound, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        for (var page = 0; page < MaxPages; page++)
        {
            using var request = api.Request(HttpMethod.Get, $"{path}?{fields}&count={PageSize}&offset={items.Count}");
            var answer = await api.SendAsync(request, cancellationToken);
            if (notFound is not null && answer.Status == HttpStatusCode.NotFound)
            {
                return (notFound, []);
            }

            var result = Classify(answer, expectsJson: true, api);
            if (!result.Succeeded)
            {
                return (result, []);
            }

            using var json = answer.Json()!;
            if (!json.RootElement.TryGetProperty(collection, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return (CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Detail: collection)), []);
            }

            var count = array.GetArrayLength();
            items.AddRange(array.EnumerateArray().Select(e => e.Clone()));
            var total = json.RootElement.TryGetProperty("total_items", out var t) && t.TryGetInt32(out var n) ? n : items.Count;
            if (count == 0 || items.Count >= total)
            {
                break;
            }
        }

        return (CrmResult.Done(), items);
    }

    private static CrmResult Classify(CrmHttpAnswer answer, bool expectsJson, MailchimpApi api, params string?[] sensitive)
    {
        // At very high volume Mailchimp throttles with a bare 403 (no problem document): not a key problem.
        if (answer.Status == HttpStatusCode.Forbidden && !answer.IsJson)
        {
            return CrmResult.TryLater(new CrmProblem(CrmProblems.ThrottledBare403, Kind), answer.RetryAfter);
        }

        return answer.Classify(Kind, expectsJson, ProblemText, [api.Key, .. sensitive]);
    }

    /// <summary>Mailchimp's problem document: "title: detail", and the fields it names (a required merge field).</summary>
    private static string? ProblemText(JsonElement problem)
    {
        if (problem.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var text = string.Join(": ", new[] { Text(problem, "title"), Text(problem, "detail") }.Where(t => !string.IsNullOrWhiteSpace(t)));
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            var fields = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => string.Join(": ", new[] { Text(e, "field"), Text(e, "message") }.Where(t => !string.IsNullOrWhiteSpace(t))))
                .Where(t => t.Length > 0)
                .ToList();
            if (fields.Count > 0)
            {
                text += " (" + string.Join("; ", fields) + ")";
            }
        }

        return text.Length > 0 ? text : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private CrmResult SettingsRefused(CrmTarget target) =>
        CrmResult.Refused(new CrmProblem(CrmProblems.SettingsInvalid, Kind, Detail: string.Join(", ", Check(target.Settings).Select(e => $"{e.Key}: {e.Problem}"))));

    private MailchimpApi? Open(CrmTarget target, bool needsList)
    {
        if (ApiKeyProblem(target.Settings) is not null)
        {
            return null;
        }

        var list = target.Setting(ListSetting)?.Trim();
        if ((needsList && list is null) || (list is not null && !ListId().IsMatch(list)))
        {
            return null;
        }

        var key = target.Setting(ApiKeySetting)!.Trim();
        var baseUrl = options.Value.MailchimpBaseUrl.Replace("{dc}", DataCentreOf(key), StringComparison.Ordinal).TrimEnd('/');
        return new MailchimpApi(clients.CreateClient(Kind), baseUrl, key, list);
    }

    private static CrmSettingProblem? ApiKeyProblem(IReadOnlyDictionary<string, string> settings) =>
        !settings.TryGetValue(ApiKeySetting, out var key) || string.IsNullOrWhiteSpace(key) ? CrmSettingProblem.Missing
        : DataCentreOf(key) is null ? CrmSettingProblem.Malformed
        : null;

    /// <summary>A key is letters and digits, a dash, and the data centre (two letters and a number: us21).</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]{8,100}-(?<dc>[a-z]{2}[0-9]{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ListId();

    private sealed record MergeField(string Tag, string Name, string Type, bool Required);

    private sealed record MappedField(string Source, string Tag, string Type);

    private sealed class MailchimpApi(HttpClient client, string baseUrl, string key, string? listId)
    {
        public string Key => key;

        public string? ListId => listId;

        public string ListPath => Uri.EscapeDataString(listId ?? string.Empty);

        public HttpRequestMessage Request(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, $"{baseUrl}/3.0/{path}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("customerinfo:" + key)));
            request.Headers.UserAgent.ParseAdd("CustomerInfo/2");
            return request;
        }

        public Task<CrmHttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            CrmHttp.SendAsync(client, request, cancellationToken);
    }
}
