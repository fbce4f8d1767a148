using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// HubSpot CRM v3 contacts on 127.0.0.1, from /work/shared/data/crm (README.md, hubspot-notes.md).
/// It checks what HubSpot checks: <c>Authorization: Bearer</c> with <see cref="Token"/> (else 401
/// INVALID_AUTHENTICATION), the paths, the body shape (inputs with idProperty, id, string properties),
/// and every written value against its property list: unknown names (PROPERTY_DOESNT_EXIST), read-only
/// ones, enumeration options, numbers, dates at midnight UTC, and surrounding whitespace, all as 400
/// VALIDATION_ERROR refusing the whole batch. It keeps contacts by email, merges (a merged record gets
/// a new id; old ids read as it), GDPR deletions and blocked addresses. Batch results come back in
/// reverse order, since HubSpot does not promise the input order. Communication Preferences: the
/// subscription types (v3 definitions) and the v4 status update, which checks channel, statusState,
/// an integer subscriptionId of an active type, and on a GDPR portal the legal basis and its explanation.
/// </summary>
public sealed partial class FakeHubSpot : LoopbackHttpFake
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, FakeHubSpotProperty> properties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeHubSpotProperty> archivedProperties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeHubSpotContact> contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> mergedInto = new(StringComparer.Ordinal);
    private readonly List<FakeHubSpotMerge> merges = [];
    private readonly ConcurrentQueue<string> erased = new();
    private readonly HashSet<string> blocked = new(StringComparer.Ordinal);
    private readonly List<FakeHubSpotSubscriptionType> subscriptionTypes = [];
    private readonly Dictionary<(string Email, long SubscriptionId), FakeHubSpotSubscriptionStatus> statuses = new();
    private readonly List<string> resubscribedAfterOptOut = [];
    private long nextId = 1001;

    public FakeHubSpot()
    {
        foreach (var property in DefaultProperties())
        {
            properties[property.Name] = property;
        }
    }

    public string Token { get; set; } = "pat-na1-11111111-2222-3333-4444-555555555555";

    /// <summary>The next this many calls answer 429 the way HubSpot does: its body and no <c>Retry-After</c>.</summary>
    public int RateLimitedCalls { get; set; }

    /// <summary>Lets this many authorised calls through, then answers the next one with HubSpot's 429.</summary>
    public int? RateLimitAfter { get; set; }

    public IReadOnlyList<FakeHubSpotContact> Contacts
    {
        get
        {
            lock (gate)
            {
                return contacts.Values.Select(c => c.Copy()).ToList();
            }
        }
    }

    public IReadOnlyList<FakeHubSpotMerge> Merges
    {
        get
        {
            lock (gate)
            {
                return merges.ToList();
            }
        }
    }

    /// <summary>What gdpr-delete was asked to erase (emails or ids, as sent).</summary>
    public IReadOnlyList<string> Erased => erased.ToArray();

    public bool IsBlocked(string email)
    {
        lock (gate)
        {
            return blocked.Contains(email.ToLowerInvariant());
        }
    }

    public static async Task<FakeHubSpot> StartNewAsync()
    {
        var fake = new FakeHubSpot();
        await fake.StartAsync();
        return fake;
    }

    public FakeHubSpotContact? Contact(string email)
    {
        lock (gate)
        {
            return contacts.Values.FirstOrDefault(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase))?.Copy();
        }
    }

    public void AddProperty(string name, string type = "string", string fieldType = "text", IReadOnlyList<string>? options = null, bool readOnly = false, bool hidden = false)
    {
        lock (gate)
        {
            properties[name] = new FakeHubSpotProperty(name, name, type, fieldType, options ?? [], readOnly, hidden);
        }
    }

    /// <summary>A retailer deletes a property in HubSpot (it is archived): writes to it are then refused as unknown.</summary>
    public void ArchiveProperty(string name)
    {
        lock (gate)
        {
            if (properties.Remove(name, out var property))
            {
                archivedProperties[name] = property;
            }
        }
    }

    /// <summary>
    /// A GDPR-enabled portal (the default here, as for EU retailers): a status update without
    /// <c>legalBasis</c> and <c>legalBasisExplanation</c> is refused.
    /// </summary>
    public bool GdprEnabled { get; set; } = true;

    /// <summary>Adds a subscription type (GET /communication-preferences/v3/definitions lists it); returns its id.</summary>
    public string AddSubscriptionType(string name, bool isInternal = false, bool isActive = true)
    {
        lock (gate)
        {
            var id = 7000 + subscriptionTypes.Count + 1;
            subscriptionTypes.Add(new FakeHubSpotSubscriptionType(id, name, isInternal, isActive));
            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The contact's status for one subscription type (SUBSCRIBED, NOT_SUBSCRIBED), or null when none was ever set.</summary>
    public FakeHubSpotSubscriptionStatus? SubscriptionStatus(string email, string subscriptionId)
    {
        lock (gate)
        {
            return statuses.GetValueOrDefault((email.ToLowerInvariant(), long.Parse(subscriptionId, CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The shopper clicked the unsubscribe link of one subscription type in a HubSpot email.</summary>
    public void UnsubscribeFromType(string email, string subscriptionId)
    {
        lock (gate)
        {
            statuses[(email.ToLowerInvariant(), long.Parse(subscriptionId, CultureInfo.InvariantCulture))] = new("NOT_SUBSCRIBED", "SUBSCRIPTION_PREFERENCES_PAGE", null, null);
        }
    }

    /// <summary>
    /// The shopper clicked HubSpot's own "unsubscribe from all" link: <c>hs_email_optout</c> becomes "true" (read-only
    /// through the API) and every subscription type's status NOT_SUBSCRIBED.
    /// </summary>
    public void Unsubscribe(string email)
    {
        lock (gate)
        {
            var contact = contacts.Values.Single(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));
            contact.Properties["hs_email_optout"] = "true";
            foreach (var type in subscriptionTypes)
            {
                statuses[(contact.Email, type.Id)] = new("NOT_SUBSCRIBED", "UNSUBSCRIBE_ALL", null, null);
            }
        }
    }

    /// <summary>
    /// Addresses that were opted out of all email and that a v4 SUBSCRIBED call subscribed again (which lifts HubSpot's
    /// opt-out): what a client that honours <c>hs_email_optout</c> never causes.
    /// </summary>
    public IReadOnlyList<string> ResubscribedAfterOptOut
    {
        get
        {
            lock (gate)
            {
                return [.. resubscribedAfterOptOut];
            }
        }
    }

    protected override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/crm/v3/properties/contacts", context => Authorized(context, () =>
        {
            lock (gate)
            {
                var list = context.Request.Query["archived"] == "true" ? archivedProperties.Values : properties.Values;
                return Ok(new JsonObject { ["results"] = new JsonArray([.. list.Select(p => (JsonNode)p.ToJson())]) });
            }
        }));

        routes.MapGet("/crm/v3/objects/contacts", context => Authorized(context, () =>
        {
            var limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 10;
            lock (gate)
            {
                return Ok(new JsonObject { ["results"] = new JsonArray([.. contacts.Values.Take(limit).Select(c => (JsonNode)c.ToJson(false))]) });
            }
        }));

        routes.MapGet("/crm/v3/objects/contacts/{contactId}", context => Authorized(context, () =>
        {
            var contactId = context.Request.RouteValues["contactId"]?.ToString() ?? string.Empty;
            lock (gate)
            {
                var contact = context.Request.Query["idProperty"] == "email"
                    ? contacts.Values.FirstOrDefault(c => string.Equals(c.Email, contactId, StringComparison.OrdinalIgnoreCase))
                    : Resolve(contactId);
                return contact is null ? Error(404, "OBJECT_NOT_FOUND", "resource not found") : Ok(contact.ToJson(false));
            }
        }));

        routes.MapPost("/crm/v3/objects/contacts/batch/upsert", context => Authorized(context, async () => Upsert(await ReadJsonAsync(context))));
        routes.MapPost("/crm/v3/objects/contacts/batch/read", context => Authorized(context, async () => BatchRead(await ReadJsonAsync(context))));
        routes.MapPost("/crm/v3/objects/contacts/merge", context => Authorized(context, async () => Merge(await ReadJsonAsync(context))));
        routes.MapPost("/crm/v3/objects/contacts/gdpr-delete", context => Authorized(context, async () => GdprDelete(await ReadJsonAsync(context))));
        routes.MapGet("/communication-preferences/v3/definitions", context => Authorized(context, () =>
        {
            lock (gate)
            {
                return Ok(new JsonObject { ["subscriptionDefinitions"] = new JsonArray([.. subscriptionTypes.Select(t => (JsonNode)t.ToJson())]) });
            }
        }));
        routes.MapPost("/communication-preferences/v4/statuses/{subscriberIdString}", context => Authorized(context, async () =>
            SetStatus(context.Request.RouteValues["subscriberIdString"]?.ToString() ?? string.Empty, await ReadJsonAsync(context))));
        routes.MapFallback(context => Write(context, Error(404, "OBJECT_NOT_FOUND", $"No route for {context.Request.Method} {context.Request.Path}")));
    }

    private Reply Upsert(JsonNode? request)
    {
        if (request is not JsonObject body || body["inputs"] is not JsonArray inputs)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: inputs is required");
        }

        if (inputs.Count is 0 or > 100)
        {
            return Error(400, "VALIDATION_ERROR", "Batch input must contain between 1 and 100 inputs.");
        }

        var parsed = new List<(string Email, Dictionary<string, string> Properties)>();
        foreach (var input in inputs)
        {
            if (input is not JsonObject item || Str(item["idProperty"]) != "email" || Str(item["id"]) is not { Length: > 0 } id || item["properties"] is not JsonObject props)
            {
                return Error(400, "VALIDATION_ERROR", "Invalid input JSON: each input needs idProperty \"email\", id and properties");
            }

            if (!EmailFormat().IsMatch(id))
            {
                return Error(400, "VALIDATION_ERROR", "Property values were not valid: " + new JsonArray(Invalid("email", "INVALID_EMAIL", $"Email address {id} is invalid")).ToJsonString());
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in props)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                {
                    return Error(400, "VALIDATION_ERROR", $"Invalid input JSON: property values must be strings ({name})");
                }

                values[name] = text;
            }

            parsed.Add((id.ToLowerInvariant(), values));
        }

        if (parsed.GroupBy(p => p.Email).Any(g => g.Count() > 1))
        {
            return Error(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input.");
        }

        lock (gate)
        {
            var invalid = parsed.SelectMany(p => p.Properties.Select(kv => Validate(kv.Key, kv.Value))).OfType<JsonObject>().ToList();
            if (invalid.Count > 0)
            {
                return Error(400, "VALIDATION_ERROR", "Property values were not valid: " + new JsonArray([.. invalid]).ToJsonString());
            }

            var results = new JsonArray();
            foreach (var (email, values) in parsed)
            {
                var contact = contacts.Values.FirstOrDefault(c => c.Email == email);
                var created = contact is null;
                if (contact is null)
                {
                    var newId = (nextId++).ToString(CultureInfo.InvariantCulture);
                    contact = new FakeHubSpotContact(newId, new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email, ["hs_object_id"] = newId }, DateTimeOffset.UtcNow);
                    contacts[newId] = contact;
                }

                foreach (var (name, value) in values)
                {
                    contact.Properties[name] = name == "email" ? value.ToLowerInvariant() : value;
                }

                contact.UpdatedAt = DateTimeOffset.UtcNow;
                contact.Writes++;
                var json = contact.ToJson(true);
                json["new"] = created;
                results.Insert(0, json);
            }

            return Ok(new JsonObject
            {
                ["status"] = "COMPLETE",
                ["results"] = results,
                ["startedAt"] = DateTimeOffset.UtcNow.ToString("O"),
                ["completedAt"] = DateTimeOffset.UtcNow.ToString("O"),
            });
        }
    }

    /// <summary>
    /// <c>POST /crm/v3/objects/contacts/batch/read</c>: <c>inputs</c> of <c>{id}</c> (1 to 100), an optional <c>idProperty</c>
    /// (here <c>email</c> or the record id) and the <c>properties</c> to return (a contact then carries only those, as
    /// HubSpot answers). Every id found: 200 COMPLETE; some not found: 207 with <c>numErrors</c> and an OBJECT_NOT_FOUND
    /// error naming them (HubSpot's batch shape, hubspot-notes.md "Batch result").
    /// </summary>
    private Reply BatchRead(JsonNode? request)
    {
        if (request is not JsonObject body || body["inputs"] is not JsonArray inputs || inputs.Any(i => Str(i?["id"]) is not { Length: > 0 }))
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: inputs is required, each with an id");
        }

        if (inputs.Count is 0 or > 100)
        {
            return Error(400, "VALIDATION_ERROR", "Batch input must contain between 1 and 100 inputs.");
        }

        var byEmail = Str(body["idProperty"]) switch
        {
            "email" => true,
            null or "hs_object_id" => false,
            var other => (bool?)null,
        };
        if (byEmail is null)
        {
            return Error(400, "VALIDATION_ERROR", $"Invalid input JSON: idProperty {Str(body["idProperty"])} is not a unique property");
        }

        var wanted = body["properties"] is JsonArray names ? names.Select(Str).OfType<string>().ToHashSet(StringComparer.Ordinal) : null;
        lock (gate)
        {
            var results = new JsonArray();
            var missing = new List<string>();
            foreach (var id in inputs.Select(i => Str(i!["id"])!))
            {
                var contact = byEmail.Value ? contacts.Values.FirstOrDefault(c => string.Equals(c.Email, id, StringComparison.OrdinalIgnoreCase)) : Resolve(id);
                if (contact is null)
                {
                    missing.Add(id);
                    continue;
                }

                var json = contact.ToJson(wanted is not null);
                if (wanted is not null && json["properties"] is JsonObject all)
                {
                    json["properties"] = new JsonObject([.. all.Where(p => wanted.Contains(p.Key) || p.Key == "hs_object_id").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))]);
                }

                results.Add(json);
            }

            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var answer = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = now, ["completedAt"] = now };
            if (missing.Count == 0)
            {
                return Ok(answer);
            }

            answer["numErrors"] = 1;
            answer["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = "error",
                ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.",
                ["context"] = new JsonObject { ["ids"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]) },
            });
            return new Reply(207, answer);
        }
    }

    /// <summary>
    /// Communication Preferences v4, one status: <c>channel</c> (EMAIL here), <c>statusState</c>
    /// (SUBSCRIBED, NOT_SUBSCRIBED or NOT_SPECIFIED), <c>subscriptionId</c> (an integer of a listed type),
    /// and on a GDPR portal <c>legalBasis</c> (one of HubSpot's values) and <c>legalBasisExplanation</c>.
    /// The subscriber is the email in the path. v4 also resubscribes a contact who opted out, of one type or of all
    /// email: SUBSCRIBED lifts <c>hs_email_optout</c> (recorded in <see cref="ResubscribedAfterOptOut"/>). It answers
    /// 200 with the batch-style body HubSpot documents (status COMPLETE, results).
    /// Error texts: /work/shared/data/crm has no Communication Preferences v4 error examples, so the errors here use
    /// HubSpot's documented error shape (<c>status: "error"</c>, <c>message</c>, <c>correlationId</c>, <c>category</c>;
    /// hubspot-notes.md "Errors", and HubSpot's v4 reference, whose error responses are that same object) with
    /// VALIDATION_ERROR for a body it refuses; the messages are ours, in HubSpot's manner, not recorded answers.
    /// </summary>
    private Reply SetStatus(string subscriber, JsonNode? body)
    {
        if (body is not JsonObject input || input["channel"] is not JsonValue || input["statusState"] is not JsonValue || input["subscriptionId"] is not JsonValue idValue)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: Cannot build PublicStatusRequest, some of required attributes are not set [channel, statusState, subscriptionId]");
        }

        if (!idValue.TryGetValue<long>(out var subscriptionId))
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: subscriptionId must be an integer");
        }

        var channel = input["channel"]!.GetValue<string>();
        var state = input["statusState"]!.GetValue<string>();
        var legalBasis = input["legalBasis"] is JsonValue b && b.TryGetValue<string>(out var basis) ? basis : null;
        var explanation = input["legalBasisExplanation"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : null;
        if (channel is not ("EMAIL" or "SMS" or "WHATSAPP"))
        {
            return Error(400, "VALIDATION_ERROR", $"Invalid input JSON: channel '{channel}' is not one of [EMAIL, SMS, WHATSAPP]");
        }

        if (state is not ("SUBSCRIBED" or "NOT_SUBSCRIBED" or "NOT_SPECIFIED"))
        {
            return Error(400, "VALIDATION_ERROR", $"Invalid input JSON: statusState '{state}' is not one of [SUBSCRIBED, NOT_SUBSCRIBED, NOT_SPECIFIED]");
        }

        if (legalBasis is not null && !LegalBases.Contains(legalBasis))
        {
            return Error(400, "VALIDATION_ERROR", $"Invalid input JSON: legalBasis '{legalBasis}' is not a valid legal basis");
        }

        if (GdprEnabled && (legalBasis is null || string.IsNullOrWhiteSpace(explanation)))
        {
            return Error(400, "VALIDATION_ERROR", "A legal basis and its explanation are required to change a subscription status on a portal with GDPR features on.");
        }

        if (channel == "EMAIL" && !EmailFormat().IsMatch(subscriber))
        {
            return Error(400, "VALIDATION_ERROR", $"{subscriber} is not a valid email address");
        }

        lock (gate)
        {
            var type = subscriptionTypes.FirstOrDefault(t => t.Id == subscriptionId && t.IsActive);
            if (type is null)
            {
                return Error(400, "VALIDATION_ERROR", $"No active subscription definition with id {subscriptionId}");
            }

            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var key = (subscriber.ToLowerInvariant(), subscriptionId);
            var reason = statuses.TryGetValue(key, out var before) && before.Status == state ? "NO_STATUS_CHANGE" : "REQUESTED_CHANGE_OCCURRED";
            if (channel == "EMAIL" && state == "SUBSCRIBED" && contacts.Values.FirstOrDefault(c => c.Email == key.Item1) is { } optedOut
                && optedOut.Properties.GetValueOrDefault("hs_email_optout") == "true")
            {
                optedOut.Properties["hs_email_optout"] = "false";
                resubscribedAfterOptOut.Add(key.Item1);
            }

            statuses[key] = new FakeHubSpotSubscriptionStatus(state, "API", legalBasis, explanation);
            return Ok(new JsonObject
            {
                ["status"] = "COMPLETE",
                ["requestedAt"] = now,
                ["startedAt"] = now,
                ["completedAt"] = now,
                ["results"] = new JsonArray(new JsonObject
                {
                    ["channel"] = channel,
                    ["source"] = "API",
                    ["status"] = state,
                    ["subscriberIdString"] = subscriber,
                    ["subscriptionId"] = subscriptionId,
                    ["subscriptionName"] = type.Name,
                    ["timestamp"] = now,
                    ["legalBasis"] = legalBasis,
                    ["legalBasisExplanation"] = explanation,
                    ["setStatusSuccessReason"] = reason,
                }),
            });
        }
    }

    private Reply Merge(JsonNode? body)
    {
        if (Str(body?["primaryObjectId"]) is not { Length: > 0 } primaryId || Str(body?["objectIdToMerge"]) is not { Length: > 0 } otherId)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: primaryObjectId and objectIdToMerge are required");
        }

        lock (gate)
        {
            var primary = Resolve(primaryId);
            var other = Resolve(otherId);
            if (primary is null || other is null)
            {
                return Error(400, "VALIDATION_ERROR", $"Object {(primary is null ? primaryId : otherId)} does not exist");
            }

            if (primary.Id == other.Id)
            {
                return Error(400, "VALIDATION_ERROR", "Cannot merge an object with itself");
            }

            var newId = (nextId++).ToString(CultureInfo.InvariantCulture);
            var values = new Dictionary<string, string>(other.Properties, StringComparer.Ordinal);
            foreach (var (name, value) in primary.Properties)
            {
                values[name] = value;
            }

            values["hs_object_id"] = newId;
            values["hs_merged_object_ids"] = $"{primary.Id};{other.Id}";
            var merged = new FakeHubSpotContact(newId, values, primary.CreatedAt) { Writes = primary.Writes + other.Writes };
            contacts.Remove(primary.Id);
            contacts.Remove(other.Id);
            contacts[newId] = merged;
            mergedInto[primary.Id] = newId;
            mergedInto[other.Id] = newId;
            merges.Add(new FakeHubSpotMerge(primaryId, otherId, newId));
            return Ok(merged.ToJson(false));
        }
    }

    private Reply GdprDelete(JsonNode? body)
    {
        if (Str(body?["objectId"]) is not { Length: > 0 } objectId)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: objectId is required");
        }

        var byEmail = Str(body?["idProperty"]) == "email";
        lock (gate)
        {
            var contact = byEmail ? contacts.Values.FirstOrDefault(c => string.Equals(c.Email, objectId, StringComparison.OrdinalIgnoreCase)) : Resolve(objectId);
            if (contact is null && !byEmail)
            {
                return Error(404, "OBJECT_NOT_FOUND", "resource not found");
            }

            if (contact is not null)
            {
                contacts.Remove(contact.Id);
            }

            if (byEmail)
            {
                blocked.Add(objectId.ToLowerInvariant());
            }

            erased.Enqueue(objectId);
            return new Reply(204, null);
        }
    }

    protected override string ErrorBody(int status, string message) => status == 429
        ? new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["errorType"] = "RATE_LIMIT",
            ["category"] = "RATE_LIMITS",
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["policyName"] = "TEN_SECONDLY_ROLLING",
            ["requestId"] = Guid.NewGuid().ToString(),
        }.ToJsonString()
        : ErrorJson("INTERNAL_ERROR", message).ToJsonString();

    private sealed record Reply(int Status, JsonNode? Body);

    private static readonly HashSet<string> LegalBases =
        ["LEGITIMATE_INTEREST_PQL", "LEGITIMATE_INTEREST_CLIENT", "PERFORMANCE_OF_CONTRACT", "CONSENT_WITH_NOTICE", "NON_GDPR", "PROCESS_AND_STORE", "LEGITIMATE_INTEREST_OTHER"];

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailFormat();

    private static JsonObject ErrorJson(string category, string message) => new()
    {
        ["status"] = "error",
        ["message"] = message,
        ["correlationId"] = Guid.NewGuid().ToString(),
        ["category"] = category,
    };

    private Task Authorized(HttpContext context, Func<Reply> handle) => Authorized(context, () => Task.FromResult(handle()));

    private async Task Authorized(HttpContext context, Func<Task<Reply>> handle)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await Write(context, Error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"));
            return;
        }

        if (RateLimitAfter is { } after)
        {
            RateLimitAfter = after <= 0 ? null : after - 1;
            if (after <= 0)
            {
                RateLimitedCalls = Math.Max(RateLimitedCalls, 1);
            }
        }

        if (RateLimitedCalls > 0)
        {
            RateLimitedCalls--;
            context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = "0";
            await Write(context, new Reply(429, JsonNode.Parse(ErrorBody(429, "You have reached your ten_secondly_rolling limit."))));
            return;
        }

        context.Response.Headers["X-HubSpot-RateLimit-Max"] = "190";
        context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = "189";
        context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        await Write(context, await handle());
    }

    private static Reply Ok(JsonNode body) => new(200, body);

    private static Reply Error(int status, string category, string message) => new(status, ErrorJson(category, message));

    private static Task Write(HttpContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.Body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json;charset=utf-8";
        return context.Response.WriteAsync(reply.Body.ToJsonString());
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private FakeHubSpotContact? Resolve(string id)
    {
        while (mergedInto.TryGetValue(id, out var next))
        {
            id = next;
        }

        return contacts.GetValueOrDefault(id);
    }

    /// <summary>HubSpot's check of one written value; null when fine, else the item it lists in "Property values were not valid".</summary>
    private JsonObject? Validate(string name, string value)
    {
        if (!properties.TryGetValue(name, out var property))
        {
            return Invalid(name, "PROPERTY_DOESNT_EXIST", $"Property \"{name}\" does not exist");
        }

        if (property.ReadOnly)
        {
            return Invalid(name, "READ_ONLY_VALUE", $"\"{name}\" is a read only property; its value cannot be set.");
        }

        if (value.Length == 0)
        {
            return null;
        }

        if (property.Type != "string" && value.Trim() != value)
        {
            return Invalid(name, "LEADING_TRAILING_WHITESPACE", $"{value} was not a valid {property.Type}. Values for {property.Type} properties cannot contain leading or trailing whitespace.");
        }

        return property.Type switch
        {
            "enumeration" when (property.FieldType == "checkbox" ? value.Split(';') : [value]).FirstOrDefault(v => !property.Options.Contains(v)) is { } bad =>
                Invalid(name, "INVALID_OPTION", $"{bad} was not one of the allowed options: [{string.Join(", ", property.Options)}]"),
            "bool" when value is not ("true" or "false") => Invalid(name, "INVALID_BOOLEAN", $"{value} was not a valid boolean"),
            "number" when value.Contains(',') || value.Count(c => c == '.') > 1 || !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
                Invalid(name, "INVALID_DECIMAL", $"{value} was not a valid number"),
            "date" when !IsMidnightUtc(value) => Invalid(name, "INVALID_DATE", $"{value} is not a valid date at midnight UTC"),
            _ => null,
        };
    }

    private static bool IsMidnightUtc(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms % 86_400_000 == 0
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
          || (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.UtcDateTime.TimeOfDay == TimeSpan.Zero && at.Offset == TimeSpan.Zero);

    private static JsonObject Invalid(string name, string code, string message) => new()
    {
        ["isValid"] = false,
        ["message"] = message,
        ["error"] = code,
        ["name"] = name,
    };

    private static IEnumerable<FakeHubSpotProperty> DefaultProperties() =>
    [
        new("email", "Email", "string", "text", [], false, false),
        new("firstname", "First Name", "string", "text", [], false, false),
        new("lastname", "Last Name", "string", "text", [], false, false),
        new("phone", "Phone Number", "string", "phonenumber", [], false, false),
        new("zip", "Postal Code", "string", "text", [], false, false),
        new("city", "City", "string", "text", [], false, false),
        new("date_of_birth", "Date of birth", "date", "date", [], false, false),
        new("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", ["subscriber", "lead", "customer"], false, false),
        new("hs_language", "Preferred language", "enumeration", "select", ["en", "nl", "de", "fr"], false, false),
        new("hs_email_optout", "Unsubscribed from all email", "bool", "booleancheckbox", [], true, false),
        new("hs_object_id", "Record ID", "number", "number", [], true, false),
        new("createdate", "Create Date", "datetime", "date", [], true, false),
        new("lastmodifieddate", "Last Modified Date", "datetime", "date", [], true, false),
        new("hs_merged_object_ids", "Merged Contact IDs", "enumeration", "checkbox", [], true, false),
        new("hs_all_contact_vids", "All vids for a contact", "enumeration", "checkbox", [], true, true),
    ];
}

/// <summary>A contact property as the fake lists it.</summary>
public sealed record FakeHubSpotProperty(string Name, string Label, string Type, string FieldType, IReadOnlyList<string> Options, bool ReadOnly, bool Hidden)
{
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["label"] = Label,
        ["type"] = Type,
        ["fieldType"] = FieldType,
        ["groupName"] = "contactinformation",
        ["description"] = string.Empty,
        ["options"] = new JsonArray([.. Options.Select((o, i) => (JsonNode)new JsonObject { ["label"] = o, ["value"] = o, ["hidden"] = false, ["displayOrder"] = i })]),
        ["hidden"] = Hidden,
        ["hubspotDefined"] = Name.StartsWith("hs_", StringComparison.Ordinal) || Name is "email" or "firstname" or "lastname" or "phone" or "zip" or "city",
        ["calculated"] = false,
        ["formField"] = !ReadOnly,
        ["modificationMetadata"] = new JsonObject { ["archivable"] = true, ["readOnlyDefinition"] = ReadOnly, ["readOnlyValue"] = ReadOnly },
    };
}

/// <summary>A contact the fake keeps. <see cref="Writes"/> counts upserts that reached it.</summary>
public sealed class FakeHubSpotContact(string id, Dictionary<string, string> properties, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public Dictionary<string, string> Properties { get; } = properties;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; set; } = createdAt;

    public int Writes { get; set; }

    public string Email => Properties.GetValueOrDefault("email") ?? string.Empty;

    public string? this[string property] => Properties.GetValueOrDefault(property);

    public FakeHubSpotContact Copy() => new(Id, new Dictionary<string, string>(Properties, StringComparer.Ordinal), CreatedAt) { UpdatedAt = UpdatedAt, Writes = Writes };

    public JsonObject ToJson(bool allProperties) => new()
    {
        ["id"] = Id,
        ["properties"] = new JsonObject([.. Properties
            .Where(p => allProperties || p.Key is "email" or "firstname" or "lastname" or "hs_object_id")
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        ["createdAt"] = CreatedAt.ToString("O"),
        ["updatedAt"] = UpdatedAt.ToString("O"),
        ["archived"] = false,
    };
}

/// <summary>One merge the fake did: the ids it was given and the merged record's new id.</summary>
public sealed record FakeHubSpotMerge(string PrimaryObjectId, string ObjectIdToMerge, string NewId);

/// <summary>A subscription type as <c>GET /communication-preferences/v3/definitions</c> lists it.</summary>
public sealed record FakeHubSpotSubscriptionType(long Id, string Name, bool IsInternal, bool IsActive)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id.ToString(CultureInfo.InvariantCulture),
        ["name"] = Name,
        ["description"] = Name + " emails",
        ["purpose"] = "Marketing",
        ["communicationMethod"] = "Email",
        ["isActive"] = IsActive,
        ["isDefault"] = false,
        ["isInternal"] = IsInternal,
        ["createdAt"] = "2026-01-01T00:00:00Z",
        ["updatedAt"] = "2026-01-01T00:00:00Z",
    };
}

/// <summary>One contact's status for one subscription type, and who set it with which legal basis.</summary>
public sealed record FakeHubSpotSubscriptionStatus(string Status, string Source, string? LegalBasis, string? LegalBasisExplanation);
