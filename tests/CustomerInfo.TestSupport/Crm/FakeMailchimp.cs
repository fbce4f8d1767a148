using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.TestSupport.Crm;

/// <summary>
/// Mailchimp's Marketing API (lists, merge fields, list members, tags, ping) on 127.0.0.1, checking
/// what shared/data/crm/README.md says the real one checks:
/// <list type="bullet">
/// <item>paths under <c>/{dc}/3.0/</c>, where <c>{dc}</c> must be the key's suffix (point
/// <c>Crm:MailchimpBaseUrl</c> at <see cref="BaseUrlTemplate"/>); HTTP Basic with any user and <see cref="ApiKey"/>
/// (or Bearer), else 401 <c>API Key Invalid</c>;</item>
/// <item>a member path's hash must be the MD5 of the lower-cased <c>email_address</c> (or the address itself);
/// <c>email_address</c> and <c>status_if_new</c> are required, statuses are Mailchimp's five;</item>
/// <item>the status comes from the request (<c>status</c> for anyone, <c>status_if_new</c> for a new member), never
/// from the list's double opt-in; <c>pending</c> records a confirmation mail (<see cref="ConfirmationMails"/>);</item>
/// <item><c>subscribed</c> for an unsubscribed, cleaned or compliance-review address: 400 <c>Member In Compliance State</c>;
/// a permanently deleted address: 400 <c>Forgotten Email Not Subscribed</c>;</item>
/// <item>required merge fields (unless <c>skip_merge_validation=true</c>), unknown merge tags and null values: 400
/// <c>Invalid Resource</c> with <c>errors</c>;</item>
/// <item>collections page by <c>count</c> (default 10, at most 1000) and <c>offset</c>; an unknown list is 404
/// <c>Resource Not Found</c>; errors are <c>application/problem+json</c> with all five members and <c>X-Request-Id</c>;</item>
/// <item>more than 10 requests at once: 429 (Mailchimp throttles by concurrency).</item>
/// </list>
/// </summary>
public sealed class FakeMailchimp : LoopbackHttpFake
{
    public const string DataCentre = "us21";

    /// <summary>A key of Mailchimp's shape whose suffix is <see cref="DataCentre"/>.</summary>
    public const string ApiKey = "0123456789abcdef0123456789abcdef-" + DataCentre;

    private static readonly string[] Statuses = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"];

    private readonly ConcurrentDictionary<string, FakeMailchimpList> lists = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> confirmationMails = new();
    private readonly ConcurrentQueue<string> permanentDeletes = new();
    private readonly ConcurrentDictionary<string, bool> complianceReview = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();
    private int inFlight;

    /// <summary>What <c>Crm:MailchimpBaseUrl</c> should be in a test: this fake with the data-centre segment.</summary>
    public string BaseUrlTemplate => BaseUrl + "/{dc}";

    /// <summary>Addresses Mailchimp sent a double opt-in confirmation to (a member set to <c>pending</c>), oldest first.</summary>
    public IReadOnlyList<string> ConfirmationMails => confirmationMails.ToArray();

    /// <summary>Addresses erased with <c>actions/delete-permanent</c>.</summary>
    public IReadOnlyList<string> PermanentDeletes => permanentDeletes.ToArray();

    /// <summary>Slows every answer, so a client that sends more than 10 requests at once is caught.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    public static async Task<FakeMailchimp> StartNewAsync()
    {
        var fake = new FakeMailchimp();
        await fake.StartAsync();
        return fake;
    }

    /// <summary>A list (audience) with Mailchimp's starting merge fields FNAME, LNAME, ADDRESS and PHONE unless told otherwise.</summary>
    public FakeMailchimpList AddList(string id, string name, bool doubleOptIn = false, bool defaultMergeFields = true)
    {
        var list = new FakeMailchimpList(id, name, doubleOptIn);
        if (defaultMergeFields)
        {
            list.AddMergeField("FNAME", "First Name");
            list.AddMergeField("LNAME", "Last Name");
            list.AddMergeField("ADDRESS", "Address", "address");
            list.AddMergeField("PHONE", "Phone Number", "phone");
        }

        lists[id] = list;
        return list;
    }

    public FakeMailchimpList List(string id) => lists[id];

    /// <summary>The member with this address in the list, or null.</summary>
    public FakeMailchimpMember? Member(string listId, string email) =>
        lists[listId].Members.GetValueOrDefault(Hash(email));

    /// <summary>Puts a member in the list as if it had been there before (e.g. one who unsubscribed).</summary>
    public FakeMailchimpMember SetMember(string listId, string email, string status, IReadOnlyDictionary<string, string>? mergeFields = null)
    {
        var member = new FakeMailchimpMember(email, Hash(email), Guid.NewGuid().ToString("N")[..10]) { Status = status };
        foreach (var (tag, value) in mergeFields ?? new Dictionary<string, string>())
        {
            member.MergeFields[tag] = value;
        }

        lists[listId].Members[member.Id] = member;
        return member;
    }

    /// <summary>
    /// The shopper clicked the unsubscribe link in a Mailchimp campaign: the member becomes <c>unsubscribed</c> (so
    /// Mailchimp refuses <c>subscribed</c> for it from then on, and only <c>pending</c> would mail a confirmation).
    /// </summary>
    public void Unsubscribe(string listId, string email) => lists[listId].Members[Hash(email)].Status = "unsubscribed";

    /// <summary>The address is under compliance review: Mailchimp refuses to subscribe it.</summary>
    public void PutInComplianceReview(string email) => complianceReview[email.Trim()] = true;

    /// <summary>Mailchimp's subscriber hash, computed here on its own (not with the app's code).</summary>
    public static string Hash(string email) =>
#pragma warning disable CA5351 // Mailchimp's member ids are this MD5.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())));
#pragma warning restore CA5351

    protected override string ErrorContentType => "application/problem+json";

    protected override string ErrorBody(int status, string message)
    {
        var problem = ProblemJson(status, status == 429 ? "Too Many Requests" : "Internal Server Error", status == 429 ? "You have exceeded the limit of 10 simultaneous connections." : message);
        problem["instance"] = Guid.NewGuid().ToString();
        return problem.ToJsonString();
    }

    protected override void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/{dc}/3.0/ping", context => Handle(context, _ => Ok(new JsonObject { ["health_status"] = "Everything's Chimpy!" })));
        routes.MapGet("/{dc}/3.0/lists", context => Handle(context, ListLists));
        routes.MapGet("/{dc}/3.0/lists/{listId}", context => Handle(context, c => WithList(c, list => Ok(ListJson(list)))));
        routes.MapGet("/{dc}/3.0/lists/{listId}/merge-fields", context => Handle(context, c => WithList(c, list => ListMergeFields(c, list))));
        routes.MapGet("/{dc}/3.0/lists/{listId}/members/{hash}", context => Handle(context, c => WithList(c, list => GetMember(c, list))));
        routes.MapPut("/{dc}/3.0/lists/{listId}/members/{hash}", context => Handle(context, c => WithList(c, list => PutMember(c, list))));
        routes.MapPost("/{dc}/3.0/lists/{listId}/members/{hash}/tags", context => Handle(context, c => WithList(c, list => PostTags(c, list))));
        routes.MapPost("/{dc}/3.0/lists/{listId}/members/{hash}/actions/delete-permanent", context => Handle(context, c => WithList(c, list => DeletePermanent(c, list))));
    }

    private async Task Handle(HttpContext context, Func<Call, Answer> handle)
    {
        var concurrent = Interlocked.Increment(ref inFlight);
        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            Answer answer;
            if (concurrent > 10)
            {
                answer = Problem(429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections.");
            }
            else if (Authenticate(context) is { } refused)
            {
                answer = refused;
            }
            else
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                lock (gate)
                {
                    answer = handle(new Call(context, body));
                }
            }

            var requestId = Guid.NewGuid().ToString();
            context.Response.StatusCode = answer.Status;
            context.Response.Headers["X-Request-Id"] = requestId;
            if (answer.Body.Length > 0)
            {
                context.Response.ContentType = answer.Status >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";
                await context.Response.WriteAsync(answer.Body.Replace("{instance}", requestId, StringComparison.Ordinal));
            }
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static Answer? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        string? key = null;
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
                key = decoded.Split(':', 2) is [_, var password] ? password : null;
            }
            catch (FormatException)
            {
                key = null;
            }
        }
        else if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            key = header["Bearer ".Length..];
        }

        if (key is null)
        {
            return Problem(401, "API Key Missing", "Your request did not include an API key.");
        }

        var dc = (string)context.Request.RouteValues["dc"]!;
        if (key != ApiKey || !key.EndsWith("-" + dc, StringComparison.Ordinal))
        {
            return Problem(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        }

        return null;
    }

    private Answer WithList(Call call, Func<FakeMailchimpList, Answer> then) =>
        lists.TryGetValue((string)call.Context.Request.RouteValues["listId"]!, out var list) ? then(list) : NotFound();

    private Answer ListLists(Call call) => Paged(call, lists.Values.OrderBy(l => l.Id, StringComparer.Ordinal).Select(ListJson).ToList(), "lists", page => page["constraints"] = new JsonObject { ["may_create"] = true, ["max_instances"] = 1 });

    private static Answer ListMergeFields(Call call, FakeMailchimpList list) =>
        Paged(call, [.. list.MergeFields.Select(f => MergeFieldJson(list, f))], "merge_fields", page => page["list_id"] = list.Id);

    private static Answer Paged(Call call, List<JsonObject> items, string collection, Action<JsonObject> extra)
    {
        var query = call.Context.Request.Query;
        var count = 10;
        var offset = 0;
        if ((query.ContainsKey("count") && (!int.TryParse(query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
            || (query.ContainsKey("offset") && !int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return InvalidResource("The resource submitted could not be validated.", ("count", "count must be between 1 and 1000, offset a positive number"));
        }

        var page = new JsonObject
        {
            [collection] = new JsonArray([.. items.Skip(offset).Take(count).Select(i => i.DeepClone())]),
            ["total_items"] = items.Count,
            ["_links"] = new JsonArray(),
        };
        extra(page);
        return Ok(page);
    }

    private static Answer GetMember(Call call, FakeMailchimpList list) =>
        FindMember(call, list, null) is { } member ? Ok(MemberJson(list, member)) : NotFound();

    private Answer PutMember(Call call, FakeMailchimpList list)
    {
        if (ParseObject(call.Body) is not { } body)
        {
            return Problem(400, "Invalid Resource", "The resource submitted could not be validated. For field-specific details, see the 'errors' array.");
        }

        var email = body["email_address"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : null;
        var statusIfNew = body["status_if_new"] is JsonValue sn && sn.TryGetValue<string>(out var sni) ? sni : null;
        var status = body["status"] is JsonValue st && st.TryGetValue<string>(out var sti) ? sti : null;
        if (string.IsNullOrWhiteSpace(email))
        {
            return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("email_address", "This value should not be blank."));
        }

        if (statusIfNew is null)
        {
            return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("status_if_new", "This value should not be blank."));
        }

        if (!Statuses.Contains(statusIfNew) || (body.ContainsKey("status") && (status is null || !Statuses.Contains(status))))
        {
            return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("status", "Data did not match any of the schemas described in anyOf."));
        }

        var hash = (string)call.Context.Request.RouteValues["hash"]!;
        if (hash != Hash(email) && !string.Equals(hash, email, StringComparison.OrdinalIgnoreCase))
        {
            return Problem(400, "Invalid Resource", "The email address in the body does not match the subscriber hash in the path.");
        }

        if (list.Forgotten.Contains(Hash(email)))
        {
            return Problem(400, "Forgotten Email Not Subscribed", $"{email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.");
        }

        var existing = list.Members.GetValueOrDefault(Hash(email));
        var newStatus = existing is null ? status ?? statusIfNew : status ?? existing.Status;
        if (newStatus == "subscribed" && (complianceReview.ContainsKey(email.Trim()) || existing is { Status: "unsubscribed" or "cleaned" }))
        {
            return Problem(400, "Member In Compliance State", $"{email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.");
        }

        if (newStatus == "pending" && complianceReview.ContainsKey(email.Trim()))
        {
            return Problem(400, "Member In Compliance State", $"{email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.");
        }

        var merged = new Dictionary<string, string>(existing?.MergeFields ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (body["merge_fields"] is JsonNode mergeNode)
        {
            if (mergeNode is not JsonObject mergeFields)
            {
                return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("merge_fields", "Data did not match any of the schemas described in anyOf."));
            }

            foreach (var (tag, value) in mergeFields)
            {
                if (value is null)
                {
                    return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ($"merge_fields.{tag}", "Data did not match any of the schemas described in anyOf."));
                }

                if (!list.MergeFields.Any(f => f.Tag == tag))
                {
                    return InvalidResource("Your merge fields were invalid.", (tag, "This merge field does not exist in the audience."));
                }

                merged[tag] = value.ToString();
            }
        }

        var skipValidation = string.Equals(call.Context.Request.Query["skip_merge_validation"], "true", StringComparison.OrdinalIgnoreCase);
        var missing = list.MergeFields.Where(f => f.Required && string.IsNullOrWhiteSpace(merged.GetValueOrDefault(f.Tag))).ToList();
        if (!skipValidation && missing.Count > 0)
        {
            return InvalidResource("Your merge fields were invalid.", [.. missing.Select(f => (f.Tag, "Please enter a value"))]);
        }

        var member = existing ?? new FakeMailchimpMember(email.Trim(), Hash(email), Guid.NewGuid().ToString("N")[..10]) { Status = newStatus };
        var before = existing?.Status;
        member.EmailAddress = email.Trim();
        member.Status = newStatus;
        member.Language = body["language"]?.ToString();
        member.MergeFields.Clear();
        foreach (var (tag, value) in merged)
        {
            member.MergeFields[tag] = value;
        }

        member.Writes++;
        list.Members[member.Id] = member;
        if (newStatus == "pending" && before != "pending")
        {
            confirmationMails.Enqueue(member.EmailAddress);
        }

        return Ok(MemberJson(list, member));
    }

    private static Answer PostTags(Call call, FakeMailchimpList list)
    {
        if (FindMember(call, list, null) is not { } member)
        {
            return NotFound();
        }

        if (ParseObject(call.Body) is not { } body || body["tags"] is not JsonArray tags)
        {
            return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("tags", "This value should not be blank."));
        }

        foreach (var tag in tags)
        {
            if (tag is not JsonObject t || t["name"] is not JsonValue name || !name.TryGetValue<string>(out var n) || string.IsNullOrWhiteSpace(n)
                || t["status"] is not JsonValue status || !status.TryGetValue<string>(out var s) || s is not ("active" or "inactive"))
            {
                return InvalidResource("The resource submitted could not be validated. For field-specific details, see the 'errors' array.", ("tags", "Each tag needs a name and a status of active or inactive."));
            }

            if (s == "active")
            {
                member.Tags.Add(n);
            }
            else
            {
                member.Tags.Remove(n);
            }
        }

        return new Answer(204, string.Empty);
    }

    private Answer DeletePermanent(Call call, FakeMailchimpList list)
    {
        if (FindMember(call, list, null) is not { } member)
        {
            return NotFound();
        }

        list.Members.TryRemove(member.Id, out _);
        list.Forgotten.Add(member.Id);
        permanentDeletes.Enqueue(member.EmailAddress);
        return new Answer(204, string.Empty);
    }

    private static FakeMailchimpMember? FindMember(Call call, FakeMailchimpList list, string? email)
    {
        var hash = (string)call.Context.Request.RouteValues["hash"]!;
        return list.Members.GetValueOrDefault(hash) ?? list.Members.GetValueOrDefault(Hash(email ?? Uri.UnescapeDataString(hash)));
    }

    private static JsonObject? ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject ListJson(FakeMailchimpList list) => new()
    {
        ["id"] = list.Id,
        ["web_id"] = Math.Abs(list.Id.GetHashCode(StringComparison.Ordinal)) % 1_000_000,
        ["name"] = list.Name,
        ["double_optin"] = list.DoubleOptIn,
        ["marketing_permissions"] = false,
        ["email_type_option"] = false,
        ["date_created"] = "2025-01-01T00:00:00+00:00",
        ["stats"] = new JsonObject
        {
            ["member_count"] = list.Members.Values.Count(m => m.Status == "subscribed"),
            ["merge_field_count"] = list.MergeFields.Count,
        },
    };

    private static JsonObject MergeFieldJson(FakeMailchimpList list, FakeMailchimpMergeField field) => new()
    {
        ["merge_id"] = field.MergeId,
        ["tag"] = field.Tag,
        ["name"] = field.Name,
        ["type"] = field.Type,
        ["required"] = field.Required,
        ["default_value"] = string.Empty,
        ["public"] = true,
        ["display_order"] = field.MergeId + 1,
        ["list_id"] = list.Id,
        ["options"] = new JsonObject(),
    };

    private static JsonObject MemberJson(FakeMailchimpList list, FakeMailchimpMember member)
    {
        var merge = new JsonObject();
        foreach (var (tag, value) in member.MergeFields)
        {
            merge[tag] = value;
        }

        return new JsonObject
        {
            ["id"] = member.Id,
            ["email_address"] = member.EmailAddress,
            ["unique_email_id"] = member.UniqueEmailId,
            ["status"] = member.Status,
            ["merge_fields"] = merge,
            ["tags"] = new JsonArray([.. member.Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
            ["list_id"] = list.Id,
            ["last_changed"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        };
    }

    private static Answer Ok(JsonObject body) => new(200, body.ToJsonString());

    private static Answer NotFound() => Problem(404, "Resource Not Found", "The requested resource could not be found.");

    private static Answer InvalidResource(string detail, params (string Field, string Message)[] errors)
    {
        var problem = ProblemJson(400, "Invalid Resource", detail);
        problem["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["field"] = e.Field, ["message"] = e.Message })]);
        return new Answer(400, problem.ToJsonString());
    }

    private static Answer Problem(int status, string title, string detail) => new(status, ProblemJson(status, title, detail).ToJsonString());

    private static JsonObject ProblemJson(int status, string title, string detail) => new()
    {
        ["type"] = "https://mailchimp.com/developer/marketing/docs/errors/",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["instance"] = "{instance}",
    };

    private sealed record Call(HttpContext Context, string Body);

    private sealed record Answer(int Status, string Body);
}

/// <summary>A list (audience) of the fake, with its settings and members.</summary>
public sealed class FakeMailchimpList(string id, string name, bool doubleOptIn)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public bool DoubleOptIn { get; set; } = doubleOptIn;

    public List<FakeMailchimpMergeField> MergeFields { get; } = [];

    public ConcurrentDictionary<string, FakeMailchimpMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Hashes of permanently deleted addresses, which Mailchimp will not take back.</summary>
    public HashSet<string> Forgotten { get; } = new(StringComparer.Ordinal);

    public FakeMailchimpList AddMergeField(string tag, string name, string type = "text", bool required = false)
    {
        MergeFields.Add(new FakeMailchimpMergeField(MergeFields.Count + 1, tag, name, type, required));
        return this;
    }

    public void RemoveMergeField(string tag) => MergeFields.RemoveAll(f => f.Tag == tag);
}

public sealed record FakeMailchimpMergeField(int MergeId, string Tag, string Name, string Type, bool Required);

/// <summary>A member as the fake holds it.</summary>
public sealed class FakeMailchimpMember(string email, string id, string uniqueEmailId)
{
    public string EmailAddress { get; set; } = email;

    public string Id { get; } = id;

    public string UniqueEmailId { get; } = uniqueEmailId;

    public required string Status { get; set; }

    public string? Language { get; set; }

    public Dictionary<string, string> MergeFields { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>How many PUTs wrote this member.</summary>
    public int Writes { get; set; }
}
