using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// Klaviyo on 127.0.0.1, from /work/shared/data/crm (README.md, klaviyo-profiles.json). It checks what
/// Klaviyo checks: <c>Authorization: Klaviyo-API-Key</c> with <see cref="ApiKey"/> (else 401), a
/// <c>revision</c> header (YYYY-MM-DD[.suffix]), the JSON:API content type on writes, the resource
/// types and required members, known profile attributes, E.164 phone numbers, <c>consented_at</c>
/// only in historical imports, at most 1000 profiles per subscribe job, exactly one identifier per
/// deletion job, and list pages of 1 to 10 (a client that does not follow <c>links.next</c> misses
/// lists). Subscribe jobs take email and SMS channels (SMS needs an E.164 <c>phone_number</c>);
/// unsubscribe jobs (<c>profile-subscription-bulk-delete-jobs</c>) take 1 to 100 profiles whose
/// channels say <c>UNSUBSCRIBED</c>. It keeps profiles by email with their email and SMS consent,
/// suppression and lists; a subscribe to a double opt-in list only sends a confirmation until
/// <see cref="Confirm"/>.
/// </summary>
public sealed partial class FakeKlaviyo : LoopbackHttpFake
{
    private static readonly HashSet<string> ProfileAttributes = ["email", "phone_number", "external_id", "_kx", "first_name", "last_name", "organization", "locale", "title", "image", "location", "properties"];
    private static readonly HashSet<string> Channels = ["email", "sms", "whatsapp", "push"];
    private static readonly HashSet<string> LocationAttributes = ["address1", "address2", "city", "country", "latitude", "longitude", "region", "zip", "timezone", "ip"];

    private readonly Lock gate = new();
    private readonly List<FakeKlaviyoList> lists = [];
    private readonly Dictionary<string, FakeKlaviyoProfile> profiles = new(StringComparer.Ordinal);
    private readonly List<FakeKlaviyoSubscriptionJob> jobs = [];
    private readonly List<FakeKlaviyoUnsubscriptionJob> unsubscriptions = [];
    private readonly List<string> deletions = [];
    private readonly List<(string List, IReadOnlyList<string> ProfileIds)> listAdds = [];
    private int nextProfile = 1;

    public string ApiKey { get; set; } = "pk_11112222333344445555666677778888aa";

    /// <summary>Subscribe jobs answer 503 while set (imports still work).</summary>
    public bool SubscriptionsDown { get; set; }

    /// <summary>Unsubscribe jobs answer 503 while set (imports and subscribe jobs still work).</summary>
    public bool UnsubscriptionsDown { get; set; }

    public IReadOnlyList<FakeKlaviyoProfile> Profiles
    {
        get
        {
            lock (gate)
            {
                return profiles.Values.Select(p => p.Copy()).ToList();
            }
        }
    }

    public IReadOnlyList<FakeKlaviyoSubscriptionJob> SubscriptionJobs
    {
        get
        {
            lock (gate)
            {
                return jobs.ToList();
            }
        }
    }

    public IReadOnlyList<FakeKlaviyoUnsubscriptionJob> UnsubscriptionJobs
    {
        get
        {
            lock (gate)
            {
                return unsubscriptions.ToList();
            }
        }
    }

    /// <summary>
    /// False: the account has no SMS set up, and a subscribe job with an SMS channel is refused (400), as the
    /// connector assumes an account without SMS does.
    /// </summary>
    public bool SmsEnabled { get; set; } = true;

    /// <summary>Each "add profiles to a list" call: the list and the profile ids it named (consent left as it was).</summary>
    public IReadOnlyList<(string List, IReadOnlyList<string> ProfileIds)> ListAdds
    {
        get
        {
            lock (gate)
            {
                return listAdds.ToList();
            }
        }
    }

    /// <summary>The identifier each deletion job named ("email:…", "phone_number:…" or "id:…").</summary>
    public IReadOnlyList<string> Deletions
    {
        get
        {
            lock (gate)
            {
                return deletions.ToList();
            }
        }
    }

    public static async Task<FakeKlaviyo> StartNewAsync()
    {
        var fake = new FakeKlaviyo();
        await fake.StartAsync();
        return fake;
    }

    public FakeKlaviyoProfile? Profile(string email)
    {
        lock (gate)
        {
            return profiles.Values.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase))?.Copy();
        }
    }

    /// <summary>Adds a list; ids are short strings like Klaviyo's.</summary>
    public string AddList(string name, bool doubleOptIn = false)
    {
        lock (gate)
        {
            var id = "L" + (lists.Count + 1).ToString("D5", CultureInfo.InvariantCulture);
            lists.Add(new FakeKlaviyoList(id, name, doubleOptIn));
            return id;
        }
    }

    /// <summary>The shopper clicked Klaviyo's unsubscribe link: consent UNSUBSCRIBED, suppressed, off every list.</summary>
    public void Unsubscribe(string email)
    {
        lock (gate)
        {
            var profile = profiles.Values.Single(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
            profile.Consent = "UNSUBSCRIBED";
            profile.Suppressed = true;
            profile.Lists.Clear();
        }
    }

    /// <summary>The shopper clicked the double opt-in confirmation for every list waiting on it.</summary>
    public void Confirm(string email)
    {
        lock (gate)
        {
            var profile = profiles.Values.Single(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
            profile.Lists.UnionWith(profile.PendingLists);
            profile.PendingLists.Clear();
            profile.Consent = "SUBSCRIBED";
        }
    }

    /// <summary>A profile with custom properties, made in Klaviyo by something else (for the catalog).</summary>
    public void AddProfile(string email, IReadOnlyDictionary<string, string> properties)
    {
        lock (gate)
        {
            var profile = NewProfile(email);
            foreach (var (name, value) in properties)
            {
                profile.Properties[name] = value;
            }
        }
    }

    protected override string ErrorContentType => "application/vnd.api+json";

    protected override string ErrorBody(int status, string message) => status == 429
        ? Errors(429, "throttled", "Request was throttled.", $"Request was throttled. Expected available in {RetryAfterSeconds} second.").ToJsonString()
        : Errors(status, "error", "A server error occurred.", message).ToJsonString();

    protected override void Map(IEndpointRouteBuilder routes)
    {
        // Routing matches with or without a trailing slash, as Klaviyo does (older clients add one).
        routes.MapGet("/api/lists", context => Handle(context, () => GetLists(context)));
        routes.MapGet("/api/lists/{id}", context => Handle(context, () => GetList(context.Request.RouteValues["id"]?.ToString() ?? string.Empty)));
        routes.MapGet("/api/profiles", context => Handle(context, () => GetProfiles(context)));
        routes.MapPost("/api/profile-import", context => HandleWrite(context, Import));
        routes.MapPost("/api/profile-subscription-bulk-create-jobs", context => HandleWrite(context, Subscribe));
        routes.MapPost("/api/profile-subscription-bulk-delete-jobs", context => HandleWrite(context, UnsubscribeJob));
        routes.MapPost("/api/data-privacy-deletion-jobs", context => HandleWrite(context, Delete));
        routes.MapPost("/api/lists/{id}/relationships/profiles", context => HandleWrite(context, body => AddToList(context.Request.RouteValues["id"]?.ToString() ?? string.Empty, body)));
        routes.MapFallback(context => Write(context, new Reply(404, Errors(404, "not_found", "Not found.", "The path was not found."))));
    }

    private Reply GetLists(HttpContext context)
    {
        var size = 10;
        if (context.Request.Query.TryGetValue("page[size]", out var sizeText) && (!int.TryParse(sizeText, CultureInfo.InvariantCulture, out size) || size is < 1 or > 10))
        {
            return Invalid("page_size", "Page size must be an integer between 1 and 10.", parameter: "page[size]");
        }

        var start = 0;
        if (context.Request.Query.TryGetValue("page[cursor]", out var cursor) && !int.TryParse(cursor.ToString().TrimStart('c'), CultureInfo.InvariantCulture, out start))
        {
            return Invalid("invalid", "Invalid page cursor.", parameter: "page[cursor]");
        }

        lock (gate)
        {
            var page = lists.Skip(start).Take(size).ToList();
            var self = $"{BaseUrl}/api/lists?page[size]={size}" + (start > 0 ? $"&page[cursor]=c{start}" : string.Empty);
            var links = new JsonObject { ["self"] = self };
            if (start + size < lists.Count)
            {
                links["next"] = $"{BaseUrl}/api/lists?page[size]={size}&page[cursor]=c{start + size}";
            }

            if (start > 0)
            {
                links["prev"] = $"{BaseUrl}/api/lists?page[size]={size}&page[cursor]=c{Math.Max(0, start - size)}";
            }

            return new Reply(200, new JsonObject { ["data"] = new JsonArray([.. page.Select(l => (JsonNode)l.ToJson(BaseUrl))]), ["links"] = links });
        }
    }

    private Reply GetList(string id)
    {
        lock (gate)
        {
            return lists.FirstOrDefault(l => l.Id == id) is { } list
                ? new Reply(200, new JsonObject { ["data"] = list.ToJson(BaseUrl), ["links"] = new JsonObject { ["self"] = $"{BaseUrl}/api/lists/{id}" } })
                : new Reply(404, Errors(404, "not_found", "Not found.", $"A list with id {id} does not exist."));
        }
    }

    private Reply GetProfiles(HttpContext context)
    {
        var size = 20;
        if (context.Request.Query.TryGetValue("page[size]", out var sizeText) && (!int.TryParse(sizeText, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100))
        {
            return Invalid("page_size", "Page size must be an integer between 1 and 100.", parameter: "page[size]");
        }

        var fields = context.Request.Query["fields[profile]"].ToString();
        lock (gate)
        {
            var data = profiles.Values.Take(size).Select(p => (JsonNode)p.ToJson(BaseUrl, fields.Length == 0 ? null : fields.Split(','))).ToList();
            return new Reply(200, new JsonObject { ["data"] = new JsonArray([.. data]), ["links"] = new JsonObject { ["self"] = $"{BaseUrl}/api/profiles" } });
        }
    }

    private Reply Import(JsonObject body)
    {
        if (body["data"] is not JsonObject data || Str(data["type"]) != "profile" || data["attributes"] is not JsonObject attributes)
        {
            return Invalid("invalid", "The payload provided in the request is invalid: data of type 'profile' with attributes is required.", "/data");
        }

        foreach (var (name, _) in attributes)
        {
            if (!ProfileAttributes.Contains(name))
            {
                return Invalid("invalid", $"'{name}' is not a valid field for the resource 'profile'.", $"/data/attributes/{name}");
            }
        }

        if (attributes["location"] is JsonObject location && location.Select(kv => kv.Key).FirstOrDefault(k => !LocationAttributes.Contains(k)) is { } unknown)
        {
            return Invalid("invalid", $"'{unknown}' is not a valid field for the resource 'location'.", $"/data/attributes/location/{unknown}");
        }

        if (attributes["location"] is not (null or JsonObject) || attributes["properties"] is not (null or JsonObject))
        {
            return Invalid("invalid", "location and properties must be objects.", "/data/attributes");
        }

        var email = Str(attributes["email"]);
        if (email is null && Str(attributes["phone_number"]) is null && Str(attributes["external_id"]) is null && Str(data["id"]) is null)
        {
            return Invalid("invalid", "One of email, phone_number, external_id or id is required.", "/data/attributes");
        }

        if (email is not null && !EmailFormat().IsMatch(email))
        {
            return Invalid("invalid", $"Invalid email address: {email}", "/data/attributes/email");
        }

        if (Str(attributes["phone_number"]) is { } phone && !E164().IsMatch(phone))
        {
            return Invalid("invalid", $"Invalid phone number format (Example of a valid format: +12345678901): {phone}", "/data/attributes/phone_number");
        }

        if (email is null)
        {
            return Invalid("invalid", "This fake keys profiles by email only.", "/data/attributes/email");
        }

        lock (gate)
        {
            var profile = profiles.Values.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
            var created = profile is null;
            profile ??= NewProfile(email);
            foreach (var (name, value) in attributes)
            {
                switch (name)
                {
                    case "email":
                        break;
                    case "location" or "properties":
                        var target = name == "location" ? profile.Location : profile.Properties;
                        foreach (var (key, inner) in (JsonObject)value!)
                        {
                            Set(target, key, inner);
                        }

                        break;
                    default:
                        Set(profile.Attributes, name, value);
                        break;
                }
            }

            profile.Imports++;
            return new Reply(created ? 201 : 200, new JsonObject { ["data"] = profile.ToJson(BaseUrl, null) });
        }
    }

    private Reply Subscribe(JsonObject body)
    {
        if (SubscriptionsDown)
        {
            return new Reply(503, Errors(503, "service_unavailable", "Service unavailable.", "Subscriptions are temporarily unavailable."));
        }

        if (body["data"] is not JsonObject data || Str(data["type"]) != "profile-subscription-bulk-create-job" || data["attributes"] is not JsonObject attributes
            || attributes["profiles"] is not JsonObject profileData || profileData["data"] is not JsonArray items)
        {
            return Invalid("invalid", "data of type 'profile-subscription-bulk-create-job' with attributes.profiles.data is required.", "/data");
        }

        if (items.Count is 0 or > 1000)
        {
            return Invalid("invalid", "A job can subscribe between 1 and 1000 profiles.", "/data/attributes/profiles/data");
        }

        var historical = attributes["historical_import"] is JsonValue h && h.TryGetValue<bool>(out var flag) && flag;
        if (ListOf(data, out var listId) is { } badList)
        {
            return badList;
        }

        var emails = new List<string>();
        var phones = new List<(string Phone, string? Email)>();
        foreach (var item in items)
        {
            if (ProfileOf(item, out var profileAttributes, out var subscriptions) is { } badProfile)
            {
                return badProfile;
            }

            foreach (var channel in new[] { "email", "sms" })
            {
                if (subscriptions[channel] is null)
                {
                    continue;
                }

                if (subscriptions[channel] is not JsonObject channelObject || channelObject["marketing"] is not JsonObject marketing || Str(marketing["consent"]) != "SUBSCRIBED")
                {
                    return Invalid("invalid", $"subscriptions.{channel}.marketing.consent must be 'SUBSCRIBED'.", $"{SubscriptionsPointer}/{channel}/marketing/consent");
                }

                if (marketing["consented_at"] is not null && !historical)
                {
                    return Invalid("invalid", "consented_at can only be provided when historical_import is true.", $"{SubscriptionsPointer}/{channel}/marketing/consented_at");
                }
            }

            var profileEmail = Str(profileAttributes["email"]);
            if (profileEmail is not null && !EmailFormat().IsMatch(profileEmail))
            {
                return Invalid("invalid", $"Invalid email address: {profileEmail}", "/data/attributes/profiles/data/attributes/email");
            }

            if (subscriptions["email"] is not null)
            {
                if (profileEmail is null)
                {
                    return Invalid("invalid", "An email subscription needs a valid email.", "/data/attributes/profiles/data/attributes/email");
                }

                emails.Add(profileEmail);
            }

            if (subscriptions["sms"] is not null)
            {
                if (!SmsEnabled)
                {
                    return Invalid("invalid", "SMS is not set up for this account, so profiles cannot be subscribed to SMS.", $"{SubscriptionsPointer}/sms");
                }

                if (Str(profileAttributes["phone_number"]) is not { } phone || !E164().IsMatch(phone))
                {
                    return Invalid("invalid", "An SMS subscription needs a phone_number in E.164 format (e.g. +12345678901).", "/data/attributes/profiles/data/attributes/phone_number");
                }

                phones.Add((phone, profileEmail));
            }
        }

        lock (gate)
        {
            var list = listId is null ? null : lists.FirstOrDefault(l => l.Id == listId);
            if (listId is not null && list is null)
            {
                return new Reply(404, Errors(404, "not_found", "Not found.", $"A list with id {listId} does not exist."));
            }

            foreach (var email in emails)
            {
                var profile = profiles.Values.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)) ?? NewProfile(email);
                profile.Suppressed = false;
                if (list is { DoubleOptIn: true } && !historical)
                {
                    profile.PendingLists.Add(list.Id);
                    profile.ConfirmationsSent++;
                }
                else
                {
                    profile.Consent = "SUBSCRIBED";
                    if (list is not null)
                    {
                        profile.Lists.Add(list.Id);
                    }
                }
            }

            foreach (var (phone, email) in phones)
            {
                // This fake keys profiles by email; an SMS subscription without one has no profile to land on.
                if (FindProfile(email, phone) is { } profile)
                {
                    profile.Attributes["phone_number"] = phone;
                    profile.SmsConsent = "SUBSCRIBED";
                    if (list is not null)
                    {
                        profile.Lists.Add(list.Id);
                    }
                }
            }

            jobs.Add(new FakeKlaviyoSubscriptionJob(listId, emails.Select(e => e.ToLowerInvariant()).ToList(), phones.Select(p => p.Phone).ToList()));
            return new Reply(202, null);
        }
    }

    /// <summary>
    /// Bulk unsubscribe (<c>profile-subscription-bulk-delete-job</c>, Klaviyo's spec of revision 2026-04-15 and
    /// later): 1 to 100 profiles, each with <c>attributes.subscriptions</c> naming the channels whose marketing
    /// consent becomes <c>UNSUBSCRIBED</c>, and an email or phone number to find it by. Without a list the channel
    /// is unsubscribed as a whole; with one, the profile also leaves that list.
    /// </summary>
    private Reply UnsubscribeJob(JsonObject body)
    {
        if (UnsubscriptionsDown)
        {
            return new Reply(503, Errors(503, "service_unavailable", "Service unavailable.", "Unsubscriptions are temporarily unavailable."));
        }

        if (body["data"] is not JsonObject data || Str(data["type"]) != "profile-subscription-bulk-delete-job" || data["attributes"] is not JsonObject attributes
            || attributes["profiles"] is not JsonObject profileData || profileData["data"] is not JsonArray items)
        {
            return Invalid("invalid", "data of type 'profile-subscription-bulk-delete-job' with attributes.profiles.data is required.", "/data");
        }

        if (attributes.Select(kv => kv.Key).FirstOrDefault(k => k != "profiles") is { } unknown)
        {
            return Invalid("invalid", $"'{unknown}' is not a valid field for the resource 'profile-subscription-bulk-delete-job'.", $"/data/attributes/{unknown}");
        }

        if (items.Count is 0 or > 100)
        {
            return Invalid("invalid", "A job can unsubscribe between 1 and 100 profiles.", "/data/attributes/profiles/data");
        }

        if (ListOf(data, out var listId) is { } badList)
        {
            return badList;
        }

        var requests = new List<(string? Email, string? Phone, bool LeavesEmail, bool LeavesSms)>();
        foreach (var item in items)
        {
            if (ProfileOf(item, out var profileAttributes, out var subscriptions) is { } badProfile)
            {
                return badProfile;
            }

            foreach (var channel in new[] { "email", "sms" })
            {
                if (subscriptions[channel] is not null
                    && (subscriptions[channel] is not JsonObject channelObject || channelObject["marketing"] is not JsonObject marketing || Str(marketing["consent"]) != "UNSUBSCRIBED"))
                {
                    return Invalid("invalid", $"subscriptions.{channel}.marketing.consent must be 'UNSUBSCRIBED'.", $"{SubscriptionsPointer}/{channel}/marketing/consent");
                }
            }

            var email = Str(profileAttributes["email"]);
            var phone = Str(profileAttributes["phone_number"]);
            if (email is null && phone is null)
            {
                return Invalid("invalid", "Either email or phone_number is required to unsubscribe a profile.", "/data/attributes/profiles/data/attributes");
            }

            if (email is not null && !EmailFormat().IsMatch(email))
            {
                return Invalid("invalid", $"Invalid email address: {email}", "/data/attributes/profiles/data/attributes/email");
            }

            if (phone is not null && !E164().IsMatch(phone))
            {
                return Invalid("invalid", $"Invalid phone number format (Example of a valid format: +12345678901): {phone}", "/data/attributes/profiles/data/attributes/phone_number");
            }

            requests.Add((email, phone, subscriptions["email"] is not null, subscriptions["sms"] is not null));
        }

        lock (gate)
        {
            foreach (var (email, phone, unsubscribeEmail, unsubscribeSms) in requests)
            {
                // Klaviyo makes a profile it cannot find and unsubscribes it; this fake keys profiles by email.
                var profile = FindProfile(email, phone) ?? (email is null ? null : NewProfile(email));
                if (profile is null)
                {
                    continue;
                }

                if (unsubscribeEmail)
                {
                    profile.Consent = "UNSUBSCRIBED";
                    profile.PendingLists.Clear();
                }

                if (unsubscribeSms)
                {
                    profile.SmsConsent = "UNSUBSCRIBED";
                }

                if (listId is not null)
                {
                    profile.Lists.Remove(listId);
                }
                else if (unsubscribeEmail)
                {
                    profile.Lists.Clear();
                }
            }

            unsubscriptions.Add(new FakeKlaviyoUnsubscriptionJob(
                listId,
                requests.Where(r => r.LeavesEmail).Select(r => r.Email ?? r.Phone!).ToList(),
                requests.Where(r => r.LeavesSms).Select(r => r.Phone ?? r.Email!).ToList()));
            return new Reply(202, null);
        }
    }

    private FakeKlaviyoProfile? FindProfile(string? email, string? phone) =>
        (email is null ? null : profiles.Values.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)))
        ?? (phone is null ? null : profiles.Values.FirstOrDefault(p => p.Attributes.GetValueOrDefault("phone_number") == phone));

    private Reply Delete(JsonObject body)
    {
        if (body["data"] is not JsonObject data || Str(data["type"]) != "data-privacy-deletion-job"
            || data["attributes"]?["profile"]?["data"] is not JsonObject profile || Str(profile["type"]) != "profile")
        {
            return Invalid("invalid", "data of type 'data-privacy-deletion-job' with attributes.profile.data of type 'profile' is required.", "/data");
        }

        var identifiers = new List<(string Kind, string Value)>();
        if (Str(profile["id"]) is { } id)
        {
            identifiers.Add(("id", id));
        }

        if (profile["attributes"] is JsonObject attributes)
        {
            foreach (var kind in new[] { "email", "phone_number" })
            {
                if (Str(attributes[kind]) is { } value)
                {
                    identifiers.Add((kind, value));
                }
            }
        }

        if (identifiers.Count != 1)
        {
            return Invalid("invalid", "Exactly one profile identifier (email, phone_number or id) must be provided.", "/data/attributes/profile/data");
        }

        var (which, identifier) = identifiers[0];
        lock (gate)
        {
            foreach (var match in profiles.Values.Where(p => which switch
            {
                "email" => string.Equals(p.Email, identifier, StringComparison.OrdinalIgnoreCase),
                "phone_number" => p.Attributes.GetValueOrDefault("phone_number") == identifier,
                _ => p.Id == identifier,
            }).ToList())
            {
                profiles.Remove(match.Id);
            }

            deletions.Add($"{which}:{identifier}");
            return new Reply(202, null);
        }
    }

    /// <summary>
    /// Add profiles to a list (<c>POST /api/lists/{id}/relationships/profiles</c>, named in the README beside bulk subscribe;
    /// not in the extract, so shaped as Klaviyo's relationship endpoints are): <c>data</c> is an array of 1 to 1000
    /// <c>{type: "profile", id}</c>; an unknown list is 404, an unknown profile id 400; 204 without a body. It only makes the
    /// profiles members of the list: their consent, and a suppression, stay as they were (unlike bulk subscribe).
    /// </summary>
    private Reply AddToList(string listId, JsonObject body)
    {
        if (body["data"] is not JsonArray data || data.Count is < 1 or > 1000)
        {
            return Invalid("invalid", "data must be an array of 1 to 1000 profile identifiers.", "/data");
        }

        var ids = new List<string>();
        for (var i = 0; i < data.Count; i++)
        {
            if (data[i] is not JsonObject item || Str(item["type"]) != "profile" || Str(item["id"]) is not { Length: > 0 } id || item.Count != 2)
            {
                return Invalid("invalid", "Each item must be a resource identifier of type 'profile' with an id, and nothing else.", $"/data/{i}");
            }

            ids.Add(id);
        }

        lock (gate)
        {
            if (lists.FirstOrDefault(l => l.Id == listId) is not { } list)
            {
                return new Reply(404, Errors(404, "not_found", "Not found.", $"A list with id {listId} does not exist."));
            }

            if (ids.FirstOrDefault(id => !profiles.ContainsKey(id)) is { } unknown)
            {
                return Invalid("invalid", $"A profile with id {unknown} does not exist.", $"/data/{ids.IndexOf(unknown)}/id");
            }

            foreach (var id in ids)
            {
                profiles[id].Lists.Add(list.Id);
            }

            listAdds.Add((list.Id, ids));
            return new Reply(204, null);
        }
    }

    private FakeKlaviyoProfile NewProfile(string email)
    {
        var profile = new FakeKlaviyoProfile("01KFAKE" + (nextProfile++).ToString("D19", CultureInfo.InvariantCulture), email.ToLowerInvariant());
        profiles[profile.Id] = profile;
        return profile;
    }

    private static void Set(Dictionary<string, string> target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString();
        }
    }

    private async Task Handle(HttpContext context, Func<Reply> handle)
    {
        if (Refusal(context) is { } refusal)
        {
            await Write(context, refusal);
            return;
        }

        await Write(context, handle());
    }

    private async Task HandleWrite(HttpContext context, Func<JsonObject, Reply> handle)
    {
        if (Refusal(context) is { } refusal)
        {
            await Write(context, refusal);
            return;
        }

        if (context.Request.ContentType?.StartsWith("application/vnd.api+json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await Write(context, new Reply(415, Errors(415, "unsupported_media_type", "Unsupported media type.", $"Unsupported media type \"{context.Request.ContentType}\" in request.")));
            return;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        await Write(context, body is JsonObject json ? handle(json) : Invalid("parse_error", "JSON parse error.", "/"));
    }

    /// <summary>What Klaviyo refuses before looking at the request: the key, then the revision.</summary>
    private Reply? Refusal(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != "Klaviyo-API-Key " + ApiKey)
        {
            return new Reply(401, Errors(401, "not_authenticated", "Authentication credentials were not provided.", "Missing or invalid private key."));
        }

        var revision = context.Request.Headers["revision"].ToString();
        if (revision.Length == 0)
        {
            return Invalid("missing_revision", "A revision header is required.", parameter: "revision");
        }

        if (!RevisionFormat().IsMatch(revision))
        {
            return Invalid("invalid_revision", $"Invalid revision: {revision}. Use YYYY-MM-DD.", parameter: "revision");
        }

        context.Response.Headers["RateLimit-Limit"] = "75";
        context.Response.Headers["RateLimit-Remaining"] = "74";
        context.Response.Headers["RateLimit-Reset"] = "1";
        return null;
    }

    private static Task Write(HttpContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.Body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/vnd.api+json";
        return context.Response.WriteAsync(reply.Body.ToJsonString());
    }

    private const string SubscriptionsPointer = "/data/attributes/profiles/data/attributes/subscriptions";

    /// <summary>A subscription job's list, which is optional; an error when the relationship is there but malformed.</summary>
    private static Reply? ListOf(JsonObject data, out string? listId)
    {
        listId = null;
        if (data["relationships"]?["list"]?["data"] is not JsonObject listData)
        {
            return null;
        }

        if (Str(listData["type"]) != "list" || Str(listData["id"]) is not { } id)
        {
            return Invalid("invalid", "relationships.list.data needs type 'list' and an id.", "/data/relationships/list/data");
        }

        listId = id;
        return null;
    }

    /// <summary>One profile of a subscribe or unsubscribe job, checked as Klaviyo checks it: its shape, known channels, at least email or SMS.</summary>
    private static Reply? ProfileOf(JsonNode? item, out JsonObject attributes, out JsonObject subscriptions)
    {
        attributes = subscriptions = null!;
        if (item is not JsonObject profile || Str(profile["type"]) != "profile" || profile["attributes"] is not JsonObject profileAttributes
            || profileAttributes["subscriptions"] is not JsonObject profileSubscriptions)
        {
            return Invalid("invalid", "Each profile needs type 'profile' and attributes.subscriptions.", "/data/attributes/profiles/data");
        }

        if (profileSubscriptions.Select(kv => kv.Key).FirstOrDefault(k => !Channels.Contains(k)) is { } unknownChannel)
        {
            return Invalid("invalid", $"'{unknownChannel}' is not a valid field for the resource 'subscriptions'.", $"{SubscriptionsPointer}/{unknownChannel}");
        }

        if (profileSubscriptions["email"] is null && profileSubscriptions["sms"] is null)
        {
            return Invalid("invalid", "At least one subscription channel must be provided.", SubscriptionsPointer);
        }

        (attributes, subscriptions) = (profileAttributes, profileSubscriptions);
        return null;
    }

    private static Reply Invalid(string code, string detail, string? pointer = null, string? parameter = null) =>
        new(400, Errors(400, code, "Invalid input.", detail, pointer, parameter));

    private static JsonObject Errors(int status, string code, string title, string detail, string? pointer = null, string? parameter = null)
    {
        var error = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["status"] = status,
            ["code"] = code,
            ["title"] = title,
            ["detail"] = detail,
        };
        if (pointer is not null || parameter is not null)
        {
            error["source"] = pointer is not null ? new JsonObject { ["pointer"] = pointer } : new JsonObject { ["parameter"] = parameter };
        }

        return new JsonObject { ["errors"] = new JsonArray(error) };
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex RevisionFormat();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailFormat();

    private sealed record Reply(int Status, JsonNode? Body);
}

public sealed record FakeKlaviyoList(string Id, string Name, bool DoubleOptIn)
{
    public JsonObject ToJson(string baseUrl) => new()
    {
        ["type"] = "list",
        ["id"] = Id,
        ["attributes"] = new JsonObject
        {
            ["name"] = Name,
            ["created"] = "2026-01-01T00:00:00+00:00",
            ["updated"] = "2026-01-01T00:00:00+00:00",
            ["opt_in_process"] = DoubleOptIn ? "double_opt_in" : "single_opt_in",
        },
        ["links"] = new JsonObject { ["self"] = $"{baseUrl}/api/lists/{Id}" },
    };
}

/// <summary>
/// A profile the fake keeps. <see cref="Consent"/> is its email-marketing consent (NEVER_SUBSCRIBED,
/// SUBSCRIBED, UNSUBSCRIBED); <see cref="Lists"/> the lists it is on; <see cref="PendingLists"/> the
/// double opt-in lists waiting for its confirmation.
/// </summary>
public sealed class FakeKlaviyoProfile(string id, string email)
{
    public string Id { get; } = id;

    public string Email { get; } = email;

    public Dictionary<string, string> Attributes { get; private init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Location { get; private init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Properties { get; private init; } = new(StringComparer.Ordinal);

    public string Consent { get; set; } = "NEVER_SUBSCRIBED";

    /// <summary>Its SMS-marketing consent: NEVER_SUBSCRIBED, SUBSCRIBED or UNSUBSCRIBED.</summary>
    public string SmsConsent { get; set; } = "NEVER_SUBSCRIBED";

    public bool Suppressed { get; set; }

    public HashSet<string> Lists { get; private init; } = new(StringComparer.Ordinal);

    public HashSet<string> PendingLists { get; private init; } = new(StringComparer.Ordinal);

    public int ConfirmationsSent { get; set; }

    public int Imports { get; set; }

    public FakeKlaviyoProfile Copy() => new(Id, Email)
    {
        Attributes = new(Attributes, StringComparer.Ordinal),
        Location = new(Location, StringComparer.Ordinal),
        Properties = new(Properties, StringComparer.Ordinal),
        Consent = Consent,
        SmsConsent = SmsConsent,
        Suppressed = Suppressed,
        Lists = new(Lists, StringComparer.Ordinal),
        PendingLists = new(PendingLists, StringComparer.Ordinal),
        ConfirmationsSent = ConfirmationsSent,
        Imports = Imports,
    };

    public JsonObject ToJson(string baseUrl, IReadOnlyList<string>? fields)
    {
        var attributes = new JsonObject { ["email"] = Email };
        foreach (var (name, value) in Attributes)
        {
            attributes[name] = value;
        }

        attributes["location"] = new JsonObject([.. Location.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        attributes["properties"] = new JsonObject([.. Properties.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        if (fields is not null)
        {
            foreach (var name in attributes.Select(kv => kv.Key).Where(k => !fields.Contains(k)).ToList())
            {
                attributes.Remove(name);
            }
        }

        return new JsonObject { ["type"] = "profile", ["id"] = Id, ["attributes"] = attributes, ["links"] = new JsonObject { ["self"] = $"{baseUrl}/api/profiles/{Id}" } };
    }
}

/// <summary>One bulk subscribe job the fake accepted: its list, the emails subscribed to email and the numbers subscribed to SMS.</summary>
public sealed record FakeKlaviyoSubscriptionJob(string? ListId, IReadOnlyList<string> Emails, IReadOnlyList<string> SmsNumbers);

/// <summary>One bulk unsubscribe job the fake accepted: its list (null: the whole channel), who left email marketing and who left SMS.</summary>
public sealed record FakeKlaviyoUnsubscriptionJob(string? ListId, IReadOnlyList<string> Email, IReadOnlyList<string> Sms);
