using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Infrastructure.Crm.HubSpot;

/// <summary>
/// HubSpot CRM v3 contacts with a private-app token (<c>Authorization: Bearer</c>). Contacts are
/// upserted by email in batches of up to 100 (<c>POST /crm/v3/objects/contacts/batch/upsert</c>), the
/// idempotent path: a job that runs twice updates the record it made the first time.
/// <para>
/// Properties: <c>email</c> always; the rest as the retailer mapped them (<see cref="HubSpotProperties"/>),
/// or firstname, lastname, phone and zip when nothing is mapped.
/// </para>
/// <para>
/// Consent: we carry our consent in a property the retailer maps <see cref="CrmSources.EmailConsent"/>
/// (and <see cref="CrmSources.SmsConsent"/>) to, typically a single checkbox: "true" while given,
/// "false" once withdrawn, left alone when never given. When the retailer also chose a subscription
/// type (<see cref="SubscriptionSetting"/>, from <c>GET /communication-preferences/v3/definitions</c>),
/// HubSpot's own status is written too, after the upsert, with the Communication Preferences v4 call
/// <c>POST /communication-preferences/v4/statuses/{email}</c>: <c>SUBSCRIBED</c> with legal basis
/// <c>CONSENT_WITH_NOTICE</c> while the consent is current, <c>NOT_SUBSCRIBED</c> once it is withdrawn,
/// nothing when it was never given. v4 and not v3 because v3 refuses to resubscribe a contact who
/// opted out, and a shopper who unsubscribed and signs up again at the counter has given consent anew.
/// Without a subscription type only the mapped property carries consent, as before. We never write
/// <c>hs_email_optout</c> (read-only).
/// </para>
/// </summary>
public sealed class HubSpotConnector(IHttpClientFactory clients, IOptions<CrmOptions> options) : ICrmConnector
{
    public const string Kind = CrmNames.HubSpot;
    public const string TokenSetting = "token";
    public const string SubscriptionSetting = "subscriptionId";
    public const string LegalBasis = "CONSENT_WITH_NOTICE";
    public const int MaxBatch = 100;

    public CrmConnectorInfo Info { get; } = new(
        Kind,
        CrmNames.DisplayName(Kind),
        [new(TokenSetting, CrmSettingKind.Token, Required: true, Secret: true), new(SubscriptionSetting, CrmSettingKind.List, Required: false)],
        MaxBatchSize: MaxBatch,
        CanMerge: true,
        CanErase: true,
        MapsFields: true,
        HasLists: true);

    public IReadOnlyList<CrmSettingError> Check(IReadOnlyDictionary<string, string> settings)
    {
        var errors = new List<CrmSettingError>();
        if (!settings.TryGetValue(TokenSetting, out var token) || string.IsNullOrWhiteSpace(token))
        {
            errors.Add(new(TokenSetting, CrmSettingProblem.Missing));
        }
        else if (!CrmHeaders.IsHeaderSafe(token.Trim()))
        {
            errors.Add(new(TokenSetting, CrmSettingProblem.Malformed));
        }

        if (settings.TryGetValue(SubscriptionSetting, out var subscription) && !string.IsNullOrWhiteSpace(subscription) && HubSpotProperties.SubscriptionId(subscription) is null)
        {
            errors.Add(new(SubscriptionSetting, CrmSettingProblem.Malformed));
        }

        return errors;
    }

    public async Task<CrmResult> TestAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        using var request = Request(target, HttpMethod.Get, "/crm/v3/objects/contacts?limit=1", null);
        var answer = await SendAsync(request, cancellationToken);
        return answer.Classify(Kind, expectsJson: true, Message, Token(target));
    }

    public async Task<CrmCatalogResult> ListCatalogAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return new(problem, null);
        }

        using var request = Request(target, HttpMethod.Get, "/crm/v3/properties/contacts", null);
        var answer = await SendAsync(request, cancellationToken);
        var result = answer.Classify(Kind, expectsJson: true, Message, Token(target));
        if (!result.Succeeded)
        {
            return new(result, null);
        }

        using var json = answer.Json()!;
        if (!json.RootElement.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            return new(CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Status: (int)answer.Status!, Detail: "results")), null);
        }

        return new(result, new CrmCatalog(HubSpotProperties.Fields(results), await SubscriptionTypesAsync(target, cancellationToken)));
    }

    public async Task<IReadOnlyList<CrmResult>> UpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CancellationToken cancellationToken)
    {
        var results = new CrmResult?[contacts.Count];
        if (Unusable(target) is { } problem)
        {
            return contacts.Select(_ => problem).ToList();
        }

        var sendable = new List<int>();
        for (var i = 0; i < contacts.Count; i++)
        {
            if (HubSpotProperties.Email(contacts[i]) is null)
            {
                results[i] = CrmResult.Refused(new CrmProblem(CrmProblems.NoEmail, Kind));
            }
            else
            {
                sendable.Add(i);
            }
        }

        foreach (var chunk in sendable.Chunk(MaxBatch))
        {
            await UpsertChunkAsync(target, contacts, chunk, results, cancellationToken);
        }

        if (HubSpotProperties.SubscriptionId(target.Setting(SubscriptionSetting)) is { } subscriptionId)
        {
            await SetSubscriptionsAsync(target, contacts, results, subscriptionId, cancellationToken);
        }

        return results.Select(r => r!).ToList();
    }

    public async Task<CrmResult> MergeAsync(CrmTarget target, CrmMerge merge, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        var survivorId = merge.Survivor.RecordId;
        if (survivorId is null)
        {
            var upserted = (await UpsertAsync(target, [merge.Survivor], cancellationToken))[0];
            if (!upserted.Succeeded)
            {
                return upserted;
            }

            survivorId = upserted.RecordId!;
        }

        foreach (var absorbed in merge.Absorbed)
        {
            var absorbedId = absorbed.RecordId;
            if (absorbedId is null)
            {
                var found = await FindByEmailAsync(target, absorbed.Email, cancellationToken);
                if (found.Kind != CrmResultKind.Done)
                {
                    return found;
                }

                absorbedId = found.RecordId;
            }

            // Never pushed (or erased since): nothing in HubSpot to fold in.
            if (absorbedId is null)
            {
                continue;
            }

            var merged = await MergeOneAsync(target, survivorId, absorbedId, [merge.Survivor.Email, absorbed.Email], cancellationToken);
            if (!merged.Succeeded)
            {
                return merged;
            }

            survivorId = merged.RecordId!;
        }

        return CrmResult.Done(survivorId);
    }

    public async Task<CrmResult> EraseAsync(CrmTarget target, CrmErasure erasure, CancellationToken cancellationToken)
    {
        if (Unusable(target) is { } problem)
        {
            return problem;
        }

        // By email when we have it: HubSpot then also blocks the address, even if it never had the contact.
        object? body = HubSpotProperties.Email(erasure.Email) is { } email ? new { objectId = email, idProperty = "email" }
            : erasure.RecordId is { } id ? new { objectId = id }
            : null;
        if (body is null)
        {
            return CrmResult.Refused(new CrmProblem(CrmProblems.NoKeyToErase, Kind));
        }

        using var request = Request(target, HttpMethod.Post, "/crm/v3/objects/contacts/gdpr-delete", body);
        var answer = await SendAsync(request, cancellationToken);
        return answer.Classify(Kind, expectsJson: false, Message, Token(target), erasure.Email, erasure.Phone);
    }

    private async Task UpsertChunkAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, int[] chunk, CrmResult?[] results, CancellationToken cancellationToken)
    {
        // One input per address: HubSpot refuses a batch that names one id twice, and both contacts end up in the same record anyway.
        var byEmail = chunk.GroupBy(i => HubSpotProperties.Email(contacts[i])!, StringComparer.Ordinal).ToList();
        var inputs = byEmail.Select(group => new
        {
            idProperty = "email",
            id = group.Key,
            properties = HubSpotProperties.Of(contacts[group.Last()], target.Mapping),
        }).ToList();
        var sensitive = chunk.SelectMany(i => Sensitive(contacts[i])).Append(Token(target)).ToList();

        using var request = Request(target, HttpMethod.Post, "/crm/v3/objects/contacts/batch/upsert", new { inputs });
        var answer = await SendAsync(request, cancellationToken);
        var outcome = answer.Classify(Kind, expectsJson: true, Message, sensitive);

        // HubSpot refuses the whole batch for one contact's bad value; send each alone so the others still go and each refusal names its own field.
        if (outcome.Kind == CrmResultKind.Refused && byEmail.Count > 1)
        {
            foreach (var group in byEmail)
            {
                await UpsertChunkAsync(target, contacts, [.. group], results, cancellationToken);
            }

            return;
        }

        if (!outcome.Succeeded)
        {
            foreach (var i in chunk)
            {
                results[i] = outcome;
            }

            return;
        }

        using var json = answer.Json()!;
        var ids = HubSpotProperties.RecordIdsByEmail(json.RootElement);
        var errors = HubSpotProperties.ErrorsByEmail(json.RootElement);
        foreach (var group in byEmail)
        {
            var result = ids.TryGetValue(group.Key, out var id) ? CrmResult.Done(id)
                : errors.TryGetValue(group.Key, out var error) ? CrmResult.Refused(new CrmProblem(CrmProblems.ContactRefused, Kind, CrmText: CrmReason.Clean(error, sensitive)))
                : CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Status: (int)answer.Status!, Detail: "results, errors"));
            foreach (var i in group)
            {
                results[i] = result;
            }
        }
    }

    /// <summary>
    /// HubSpot's own status of the chosen subscription type, one call per saved contact whose consent
    /// was given or withdrawn (v4 has a batch call, but its per-input outcome is not promised in order;
    /// one call each keeps every sign-up's outcome its own). A throttled, failing or refused token stops
    /// the rest, which are retried with the push.
    /// </summary>
    private async Task SetSubscriptionsAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts, CrmResult?[] results, long subscriptionId, CancellationToken cancellationToken)
    {
        var subscribing = Enumerable.Range(0, contacts.Count)
            .Where(i => results[i] is { Succeeded: true } && HubSpotProperties.Email(contacts[i]) is not null && HubSpotProperties.SubscriptionStatus(contacts[i]) == "SUBSCRIBED")
            .ToList();
        var (optedOut, unread) = await OptedOutOfAllEmailAsync(target, subscribing.Select(i => HubSpotProperties.Email(contacts[i])!).Distinct().ToList(), cancellationToken);
        CrmResult? stop = null;
        for (var i = 0; i < contacts.Count; i++)
        {
            var contact = contacts[i];
            if (results[i] is not { Succeeded: true } || HubSpotProperties.Email(contact) is not { } email || HubSpotProperties.SubscriptionStatus(contact) is not { } status)
            {
                continue;
            }

            if (status == "SUBSCRIBED" && unread is not null)
            {
                // Not knowing whether HubSpot has the shopper opted out, we do not subscribe them: the push is tried again.
                results[i] = unread.Because(new CrmProblem(CrmProblems.OptOutUnread, Kind, Cause: unread.AsCause(Kind)));
                continue;
            }

            if (status == "SUBSCRIBED" && optedOut.Contains(email))
            {
                // hs_email_optout: the shopper opted out of all email in HubSpot. Only they lift that, on HubSpot's own
                // preferences page; we never set them subscribed again (v4 would), and the details are saved. The outcome
                // says so, for the admin's row ("pushed; HubSpot has this shopper opted out of email").
                results[i] = results[i]! with { EmailOptedOut = true };
                continue;
            }

            if (stop is not null)
            {
                results[i] = stop;
                continue;
            }

            using var request = Request(target, HttpMethod.Post, $"/communication-preferences/v4/statuses/{Uri.EscapeDataString(email)}", HubSpotProperties.StatusUpdate(contact, subscriptionId));
            var answer = await SendAsync(request, cancellationToken);
            var outcome = answer.Classify(Kind, expectsJson: true, Message, [Token(target), .. Sensitive(contact)]);
            if (outcome.Succeeded && answer.Json() is { } json)
            {
                using (json)
                {
                    outcome = HubSpotProperties.StatusErrors(json.RootElement) is { } errors ? CrmResult.Refused(new CrmProblem(CrmProblems.CrmSaid, Kind, CrmText: CrmReason.Clean(errors, [Token(target), .. Sensitive(contact)]))) : outcome;
                }
            }

            if (!outcome.Succeeded)
            {
                results[i] = outcome.Because(new CrmProblem(CrmProblems.SubscriptionFailed, Kind, Detail: status, Cause: outcome.AsCause(Kind)));
                if (outcome.Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials)
                {
                    stop = results[i];
                }
            }
        }
    }

    /// <summary>
    /// Which of these addresses HubSpot has opted out of all email (<c>hs_email_optout</c> "true", read-only, set by
    /// HubSpot when the shopper unsubscribes from everything): one <c>POST /crm/v3/objects/contacts/batch/read</c> by
    /// email per 100. An address HubSpot does not find is not opted out (the upsert made it a moment ago, or failed).
    /// A failed read is returned as <c>unread</c>, so nobody is subscribed blindly.
    /// </summary>
    private async Task<(HashSet<string> OptedOut, CrmResult? Unread)> OptedOutOfAllEmailAsync(CrmTarget target, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        var optedOut = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in emails.Chunk(MaxBatch))
        {
            var body = new { idProperty = "email", properties = new[] { "email", "hs_email_optout" }, inputs = chunk.Select(e => new { id = e }).ToArray() };
            using var request = Request(target, HttpMethod.Post, "/crm/v3/objects/contacts/batch/read", body);
            var answer = await SendAsync(request, cancellationToken);
            var result = answer.Classify(Kind, expectsJson: true, Message, [Token(target), .. chunk]);
            if (!result.Succeeded || answer.Json() is not { } json)
            {
                return (optedOut, result.Succeeded ? CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Detail: "results")) : result);
            }

            using (json)
            {
                if (json.RootElement.TryGetProperty("results", out var found) && found.ValueKind == JsonValueKind.Array)
                {
                    foreach (var contact in found.EnumerateArray())
                    {
                        if (contact.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                            && HubSpotProperties.Text(properties, "hs_email_optout") is "true" && HubSpotProperties.Text(properties, "email") is { } email)
                        {
                            optedOut.Add(email);
                        }
                    }
                }
            }
        }

        return (optedOut, null);
    }

    /// <summary>
    /// The subscription types a retailer can choose: <c>GET /communication-preferences/v3/definitions</c>,
    /// active and not internal. A token without the communication-preferences scope still maps fields:
    /// the types are then simply not offered.
    /// </summary>
    private async Task<IReadOnlyList<CrmList>> SubscriptionTypesAsync(CrmTarget target, CancellationToken cancellationToken)
    {
        using var request = Request(target, HttpMethod.Get, "/communication-preferences/v3/definitions", null);
        var answer = await SendAsync(request, cancellationToken);
        if (!answer.IsSuccess || answer.Json() is not { } json)
        {
            return [];
        }

        using (json)
        {
            return HubSpotProperties.SubscriptionTypes(json.RootElement);
        }
    }

    private async Task<CrmResult> MergeOneAsync(CrmTarget target, string survivorId, string absorbedId, IEnumerable<string?> sensitive, CancellationToken cancellationToken)
    {
        using var request = Request(target, HttpMethod.Post, "/crm/v3/objects/contacts/merge", new { primaryObjectId = survivorId, objectIdToMerge = absorbedId });
        var answer = await SendAsync(request, cancellationToken);
        var result = answer.Classify(Kind, expectsJson: true, Message, [Token(target), .. sensitive]);
        if (result.Succeeded)
        {
            using var json = answer.Json()!;
            return json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? CrmResult.Done(id.GetString())
                : CrmResult.TryLater(new CrmProblem(CrmProblems.IncompleteAnswer, Kind, Detail: "id"));
        }

        // A merge that ran before (a job run twice): both ids now read as the same record, which is the answer.
        if (result.Kind == CrmResultKind.Refused
            && await ReadIdAsync(target, survivorId, cancellationToken) is { } current
            && current == await ReadIdAsync(target, absorbedId, cancellationToken))
        {
            return CrmResult.Done(current);
        }

        return result;
    }

    private async Task<CrmResult> FindByEmailAsync(CrmTarget target, string? email, CancellationToken cancellationToken)
    {
        if (HubSpotProperties.Email(email) is not { } address)
        {
            return CrmResult.Done();
        }

        using var request = Request(target, HttpMethod.Get, $"/crm/v3/objects/contacts/{Uri.EscapeDataString(address)}?idProperty=email", null);
        var answer = await SendAsync(request, cancellationToken);
        if (answer.Status == System.Net.HttpStatusCode.NotFound)
        {
            return CrmResult.Done();
        }

        var result = answer.Classify(Kind, expectsJson: true, Message, Token(target), email);
        if (!result.Succeeded)
        {
            return result;
        }

        using var json = answer.Json()!;
        return CrmResult.Done(json.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null);
    }

    private async Task<string?> ReadIdAsync(CrmTarget target, string recordId, CancellationToken cancellationToken)
    {
        using var request = Request(target, HttpMethod.Get, $"/crm/v3/objects/contacts/{Uri.EscapeDataString(recordId)}", null);
        var answer = await SendAsync(request, cancellationToken);
        if (!answer.IsSuccess || answer.Json() is not { } json)
        {
            return null;
        }

        using (json)
        {
            return json.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
    }

    /// <summary>A token HubSpot could never have issued (missing, or with spaces, line breaks or non-ASCII letters) is refused before any call: it cannot go into a header.</summary>
    private CrmResult? Unusable(CrmTarget target) => Check(target.Settings) switch
    {
        [] => null,
        [{ Key: TokenSetting, Problem: CrmSettingProblem.Missing }, ..] => CrmResult.BadCredentials(new CrmProblem(CrmProblems.CredentialsMissing, Kind)),
        [{ Key: TokenSetting }, ..] => CrmResult.BadCredentials(new CrmProblem(CrmProblems.CredentialsMalformed, Kind)),
        _ => CrmResult.Refused(new CrmProblem(CrmProblems.ListInvalid, Kind)),
    };

    private static string Token(CrmTarget target) => target.Setting(TokenSetting)!.Trim();

    private HttpRequestMessage Request(CrmTarget target, HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, options.Value.HubSpotBaseUrl.TrimEnd('/') + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(target));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return request;
    }

    private Task<CrmHttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        CrmHttp.SendAsync(clients.CreateClient(Kind), request, cancellationToken);

    private static IEnumerable<string?> Sensitive(CrmContact contact) =>
        [contact.Email, contact.Phone, contact.FirstName, contact.LastName, contact.PostalCode, contact.ValueOf(CrmSources.Birthday)];

    /// <summary>
    /// HubSpot's error text: <c>message</c>, with the per-property detail it packs into it as JSON
    /// ("Property values were not valid: [{…}]") spelt out as "name: CODE (message)", and <c>errors[].message</c>.
    /// </summary>
    internal static string? Message(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = new List<string>();
        if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            parts.Add(HubSpotProperties.ExplainInvalidProperties(message.GetString()!));
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            parts.AddRange(errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                .Select(e => e.GetProperty("message").GetString()!)
                .Where(m => !parts.Contains(m)));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

/// <summary>The pure part of the HubSpot connector: which properties a contact becomes, and what HubSpot's answers say.</summary>
internal static class HubSpotProperties
{
    private const string InvalidPrefix = "Property values were not valid: ";

    /// <summary>What HubSpot gets when the retailer mapped nothing: its built-in names for our built-in fields.</summary>
    public static readonly IReadOnlyList<CrmFieldMapping> Defaults =
    [
        new(CrmSources.FirstName, "firstname"),
        new(CrmSources.LastName, "lastname"),
        new(CrmSources.Phone, "phone"),
        new(CrmSources.PostalCode, "zip"),
    ];

    /// <summary>The address HubSpot keys by: trimmed and lower case (HubSpot stores it so), or null when there is none.</summary>
    public static string? Email(CrmContact contact) => Email(contact.Email);

    public static string? Email(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// The properties one contact is upserted with: <c>email</c>, then each mapped field that has a value.
    /// Values are strings without surrounding whitespace (HubSpot refuses that on non-text properties).
    /// An empty field is left out rather than sent as "" (which would clear what the retailer keeps in HubSpot).
    /// A birthday goes only with its year, as an ISO date (HubSpot's date properties take a calendar day).
    /// </summary>
    public static Dictionary<string, string> Of(CrmContact contact, IReadOnlyList<CrmFieldMapping> mapping)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = Email(contact)! };
        foreach (var (source, target) in mapping.Count == 0 ? Defaults : mapping)
        {
            var name = target.Trim();
            if (name.Length == 0 || name == "email" || properties.ContainsKey(name))
            {
                continue;
            }

            var value = source == CrmSources.Birthday
                ? contact.Birthday is { Year: { } year } b ? $"{year:D4}-{b.Month:D2}-{b.Day:D2}" : null
                : contact.ValueOf(source)?.Trim();
            if (!string.IsNullOrEmpty(value))
            {
                properties[name] = value;
            }
        }

        return properties;
    }

    /// <summary>A subscription type id as HubSpot gives them out (a positive number), or null.</summary>
    public static long? SubscriptionId(string? text) =>
        long.TryParse(text?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    /// <summary>
    /// HubSpot's status for the chosen subscription type from the contact's current email consent; null when it was never
    /// given, or when it is no new act of the shopper (<see cref="CrmConsent.IsNew"/>): HubSpot's status is left alone then,
    /// so an unsubscribe made in HubSpot since our last push stands.
    /// </summary>
    public static string? SubscriptionStatus(CrmContact contact) =>
        !contact.EmailConsent.IsNew ? null : contact.EmailConsent.Given ? "SUBSCRIBED" : contact.EmailConsent.WithdrawnAt is not null ? "NOT_SUBSCRIBED" : null;

    /// <summary>
    /// The v4 status update: channel EMAIL, the status, the subscription type, and the legal basis with
    /// an explanation that names the consent text's version, never the shopper.
    /// </summary>
    public static JsonObject StatusUpdate(CrmContact contact, long subscriptionId) => new()
    {
        ["channel"] = "EMAIL",
        ["statusState"] = SubscriptionStatus(contact),
        ["subscriptionId"] = subscriptionId,
        ["legalBasis"] = HubSpotConnector.LegalBasis,
        ["legalBasisExplanation"] = contact.EmailConsent.Given
            ? $"Consent given on the store's sign-up form (CustomerInfo), consent text version {contact.EmailConsent.TextVersion ?? "unknown"}."
            : "Consent withdrawn through the store (CustomerInfo).",
    };

    /// <summary>The errors a v4 status answer carries beside its results (it can answer 200 with some), or null.</summary>
    public static string? StatusErrors(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return null;
        }

        return string.Join("; ", errors.EnumerateArray().Select(e => HubSpotConnector.Message(e) ?? "(no reason given)"));
    }

    /// <summary>The subscription types of <c>GET /communication-preferences/v3/definitions</c> that a retailer may choose: active and not internal.</summary>
    public static IReadOnlyList<CrmList> SubscriptionTypes(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("subscriptionDefinitions", out var definitions) || definitions.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return definitions.EnumerateArray()
            .Where(d => d.ValueKind == JsonValueKind.Object && SubscriptionId(Text(d, "id")) is not null
                && !(d.TryGetProperty("isActive", out var active) && active.ValueKind == JsonValueKind.False) && !Flag(d, "isInternal"))
            .Select(d => new CrmList(Text(d, "id")!, Text(d, "name") ?? Text(d, "id")!, DoubleOptIn: null))
            .ToList();
    }

    /// <summary>The contact properties as fields to map to: hidden ones left out, read-only and calculated ones marked.</summary>
    public static IReadOnlyList<CrmField> Fields(JsonElement results) => results.EnumerateArray()
        .Where(p => p.ValueKind == JsonValueKind.Object && Text(p, "name") is { Length: > 0 } && !Flag(p, "hidden") && !Flag(p, "archived"))
        .Select(p => new CrmField(
            Text(p, "name")!,
            Text(p, "label") ?? Text(p, "name")!,
            Text(p, "type") ?? "string",
            Required: false,
            ReadOnly: Flag(p, "calculated") || (p.TryGetProperty("modificationMetadata", out var meta) && meta.ValueKind == JsonValueKind.Object && Flag(meta, "readOnlyValue"))))
        .OrderBy(f => f.ReadOnly)
        .ThenBy(f => f.Label, StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>The record id of each upserted contact, by its email as HubSpot returned it: HubSpot does not promise the input order.</summary>
    public static Dictionary<string, string> RecordIdsByEmail(JsonElement root)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.ValueKind == JsonValueKind.Object
                    && Text(result, "id") is { } id
                    && result.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                    && Email(Text(properties, "email")) is { } email)
                {
                    ids[email] = id;
                }
            }
        }

        return ids;
    }

    /// <summary>A 207's per-input errors, by the email in their <c>context.ids</c>.</summary>
    public static Dictionary<string, string> ErrorsByEmail(JsonElement root)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in list.EnumerateArray())
            {
                if (error.ValueKind == JsonValueKind.Object
                    && error.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                    && context.TryGetProperty("ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in ids.EnumerateArray().Select(i => Email(i.ValueKind == JsonValueKind.String ? i.GetString() : null)).OfType<string>())
                    {
                        errors[id] = HubSpotConnector.Message(error) ?? "(no reason given)";
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>"Property values were not valid: [{…"name":"x","error":"PROPERTY_DOESNT_EXIST"…}]" → "Property values were not valid: x: PROPERTY_DOESNT_EXIST (Property "x" does not exist)".</summary>
    public static string ExplainInvalidProperties(string message)
    {
        if (!message.StartsWith(InvalidPrefix, StringComparison.Ordinal))
        {
            return message;
        }

        try
        {
            var items = JsonNode.Parse(message[InvalidPrefix.Length..]) as JsonArray;
            var explained = items?.OfType<JsonObject>()
                .Select(i => $"{Str(i, "name") ?? "?"}: {Str(i, "error") ?? "INVALID"}{(Str(i, "message") is { } m ? $" ({m})" : string.Empty)}")
                .ToList();
            return explained is { Count: > 0 } ? InvalidPrefix + string.Join("; ", explained) : message;
        }
        catch (JsonException)
        {
            return message;
        }

        static string? Str(JsonObject item, string key) => item[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
