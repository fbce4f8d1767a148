using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Crm;

namespace CustomerInfo.Infrastructure.Crm.Klaviyo;

/// <summary>A Klaviyo marketing channel a subscribe job is for.</summary>
internal enum KlaviyoChannel
{
    Email,
    Sms,
}

/// <summary>The pure part of the Klaviyo connector: what a contact becomes, who is subscribed, and what Klaviyo's answers say.</summary>
internal static partial class KlaviyoProfiles
{
    public const string CustomPrefix = "properties.";
    public const string LocationPrefix = "location.";

    /// <summary>Klaviyo's own profile attributes a field can be mapped to (location ones as <c>location.zip</c>).</summary>
    public static readonly IReadOnlyList<CrmField> StandardFields =
    [
        new("first_name", "First name", "string"),
        new("last_name", "Last name", "string"),
        new("phone_number", "Phone number (E.164)", "phone_number"),
        new("organization", "Organization", "string"),
        new("title", "Job title", "string"),
        new("locale", "Locale", "string"),
        new("location.address1", "Address", "string"),
        new("location.address2", "Address line 2", "string"),
        new("location.city", "City", "string"),
        new("location.region", "Region", "string"),
        new("location.zip", "Zip code", "string"),
        new("location.country", "Country", "string"),
    ];

    /// <summary>What Klaviyo gets when the retailer mapped nothing.</summary>
    public static readonly IReadOnlyList<CrmFieldMapping> Defaults =
    [
        new(CrmSources.FirstName, "first_name"),
        new(CrmSources.LastName, "last_name"),
        new(CrmSources.Phone, "phone_number"),
        new(CrmSources.PostalCode, "location.zip"),
    ];

    private static readonly HashSet<string> TopLevel = ["first_name", "last_name", "phone_number", "organization", "title", "locale", "external_id", "image"];
    private static readonly HashSet<string> Location = ["address1", "address2", "city", "country", "region", "zip", "timezone"];

    public static string? Email(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// A phone number as Klaviyo takes it (E.164: +, then 7 to 15 digits), with the spaces, dots,
    /// dashes and brackets people type taken out; null when it is not one. Klaviyo refuses a whole
    /// profile for a bad number, so such a number is left out rather than losing the sign-up.
    /// </summary>
    public static string? PhoneNumber(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var compact = Separators().Replace(phone.Trim(), string.Empty);
        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = "+" + compact[2..];
        }

        return E164().IsMatch(compact) ? compact : null;
    }

    /// <summary>
    /// The profile's attributes: <c>email</c>, then each mapped field with a value. A target is one of
    /// Klaviyo's attributes (<c>first_name</c>, <c>location.zip</c>), or a custom property
    /// (<c>properties.store</c>, or any other name). Empty fields are left out: an omitted attribute
    /// stays as it is in Klaviyo, and <c>null</c> would clear it.
    /// </summary>
    public static JsonObject Attributes(CrmContact contact, IReadOnlyList<CrmFieldMapping> mapping)
    {
        var attributes = new JsonObject { ["email"] = Email(contact.Email) };
        var location = new JsonObject();
        var properties = new JsonObject();
        foreach (var (source, rawTarget) in mapping.Count == 0 ? Defaults : mapping)
        {
            var target = rawTarget.Trim();
            var value = source == CrmSources.Phone && target == "phone_number" ? PhoneNumber(contact.Phone) : contact.ValueOf(source)?.Trim();
            if (string.IsNullOrEmpty(value) || target.Length == 0 || target == "email")
            {
                continue;
            }

            if (target.StartsWith(LocationPrefix, StringComparison.Ordinal) && Location.Contains(target[LocationPrefix.Length..]))
            {
                location[target[LocationPrefix.Length..]] ??= value;
            }
            else if (TopLevel.Contains(target))
            {
                attributes[target] ??= value;
            }
            else
            {
                var name = target.StartsWith(CustomPrefix, StringComparison.Ordinal) ? target[CustomPrefix.Length..] : target;
                if (name.Length > 0)
                {
                    properties[name] ??= value;
                }
            }
        }

        if (location.Count > 0)
        {
            attributes["location"] = location;
        }

        if (properties.Count > 0)
        {
            attributes["properties"] = properties;
        }

        return attributes;
    }

    /// <summary>
    /// Only current email consent that is a new act of the shopper (<see cref="CrmConsent.IsNew"/>: a later push of the
    /// same consent must not lift an unsubscribe made in Klaviyo), and only to a list the retailer chose.
    /// </summary>
    public static bool Subscribes(CrmContact contact, string? listId) => contact.EmailConsent.Given && contact.EmailConsent.IsNew && listId is not null && Email(contact.Email) is not null;

    /// <summary>
    /// Only current SMS consent with a phone number Klaviyo takes (E.164), and only to a list the
    /// retailer chose, as for email. Without a usable number there is nothing to subscribe.
    /// </summary>
    public static bool SubscribesSms(CrmContact contact, string? listId) => contact.SmsConsent.Given && contact.SmsConsent.IsNew && listId is not null && PhoneNumber(contact.Phone) is not null;

    /// <summary>Withdrawn email consent (and not given again since), when the withdrawal is new, unsubscribes the address, with or without a chosen list.</summary>
    public static bool UnsubscribesEmail(CrmContact contact) => IsWithdrawn(contact.EmailConsent) && Email(contact.Email) is not null;

    /// <summary>Withdrawn SMS consent unsubscribes the number, when there is one Klaviyo takes.</summary>
    public static bool UnsubscribesSms(CrmContact contact) => IsWithdrawn(contact.SmsConsent) && PhoneNumber(contact.Phone) is not null;

    public static bool Unsubscribes(CrmContact contact) => UnsubscribesEmail(contact) || UnsubscribesSms(contact);

    /// <summary>
    /// One bulk subscribe job: marketing <c>SUBSCRIBED</c> on <paramref name="channel"/> for each
    /// profile, to <paramref name="listId"/>. Email and SMS go in jobs of their own, so an account
    /// that has no SMS set up (and refuses the SMS job) still gets the email subscriptions. An SMS
    /// profile carries its email too, so Klaviyo finds the profile the import made.
    /// No <c>consented_at</c>: Klaviyo takes that only for historical imports, which skip the list's
    /// double opt-in, and a sign-up today is not one.
    /// </summary>
    public static JsonObject SubscriptionJob(IEnumerable<CrmContact> contacts, string listId, KlaviyoChannel channel = KlaviyoChannel.Email) => new()
    {
        ["data"] = new JsonObject
        {
            ["type"] = "profile-subscription-bulk-create-job",
            ["attributes"] = new JsonObject
            {
                ["custom_source"] = "CustomerInfo kiosk",
                ["profiles"] = new JsonObject
                {
                    ["data"] = new JsonArray([.. contacts.Select(c => (JsonNode)new JsonObject
                    {
                        ["type"] = "profile",
                        ["attributes"] = channel == KlaviyoChannel.Email
                            ? new JsonObject { ["email"] = Email(c.Email), ["subscriptions"] = Consent("email", "SUBSCRIBED") }
                            : new JsonObject { ["email"] = Email(c.Email), ["phone_number"] = PhoneNumber(c.Phone), ["subscriptions"] = Consent("sms", "SUBSCRIBED") },
                    })]),
                },
            },
            ["relationships"] = new JsonObject { ["list"] = new JsonObject { ["data"] = new JsonObject { ["type"] = "list", ["id"] = listId } } },
        },
    };

    /// <summary>
    /// One bulk unsubscribe job (<c>profile-subscription-bulk-delete-job</c>, at most
    /// <see cref="KlaviyoConnector.MaxUnsubscribeBatch"/> profiles): marketing <c>UNSUBSCRIBED</c> on
    /// each channel whose consent was withdrawn. It names no list on purpose: the shopper withdrew
    /// consent to the retailer's marketing, not to one list, and without a list Klaviyo unsubscribes
    /// the channel as a whole.
    /// </summary>
    public static JsonObject UnsubscriptionJob(IEnumerable<CrmContact> contacts) => new()
    {
        ["data"] = new JsonObject
        {
            ["type"] = "profile-subscription-bulk-delete-job",
            ["attributes"] = new JsonObject
            {
                ["profiles"] = new JsonObject
                {
                    ["data"] = new JsonArray([.. contacts.Select(c =>
                    {
                        var attributes = new JsonObject();
                        var subscriptions = new JsonObject();
                        if (Email(c.Email) is { } email)
                        {
                            attributes["email"] = email;
                        }

                        if (UnsubscribesEmail(c))
                        {
                            subscriptions["email"] = new JsonObject { ["marketing"] = new JsonObject { ["consent"] = "UNSUBSCRIBED" } };
                        }

                        if (UnsubscribesSms(c))
                        {
                            attributes["phone_number"] = PhoneNumber(c.Phone);
                            subscriptions["sms"] = new JsonObject { ["marketing"] = new JsonObject { ["consent"] = "UNSUBSCRIBED" } };
                        }

                        attributes["subscriptions"] = subscriptions;
                        return (JsonNode)new JsonObject { ["type"] = "profile", ["attributes"] = attributes };
                    })]),
                },
            },
        },
    };

    private static bool IsWithdrawn(CrmConsent consent) => !consent.Given && consent.WithdrawnAt is not null && consent.IsNew;

    private static JsonObject Consent(string channel, string consent) =>
        new() { [channel] = new JsonObject { ["marketing"] = new JsonObject { ["consent"] = consent } } };

    /// <summary>The one identifier a deletion job takes: the email, else the phone number, else the profile id.</summary>
    public static JsonObject? DeletionProfile(CrmErasure erasure) =>
        Email(erasure.Email) is { } email ? new JsonObject { ["type"] = "profile", ["attributes"] = new JsonObject { ["email"] = email } }
        : PhoneNumber(erasure.Phone) is { } phone ? new JsonObject { ["type"] = "profile", ["attributes"] = new JsonObject { ["phone_number"] = phone } }
        : erasure.RecordId is { Length: > 0 } id ? new JsonObject { ["type"] = "profile", ["id"] = id, ["attributes"] = new JsonObject() }
        : null;

    public static string? ProfileId(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    public static IEnumerable<CrmList> Lists(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var list in data.EnumerateArray())
        {
            if (list.ValueKind != JsonValueKind.Object || !list.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var attributes = list.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            var name = attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id.GetString()!;
            var optIn = attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("opt_in_process", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            yield return new CrmList(id.GetString()!, name, optIn switch { "double_opt_in" => true, "single_opt_in" => false, _ => null });
        }
    }

    /// <summary>
    /// The next page's address from <c>links.next</c>, but only on Klaviyo's own host and scheme: the
    /// API key goes with it, so a link elsewhere is not followed.
    /// </summary>
    public static Uri? NextPage(JsonElement root, Uri baseUrl) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
        && links.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
        && Uri.TryCreate(next.GetString(), UriKind.Absolute, out var uri)
        && uri.Scheme == baseUrl.Scheme && string.Equals(uri.Authority, baseUrl.Authority, StringComparison.OrdinalIgnoreCase)
            ? uri
            : null;

    /// <summary>The custom property names on a page of profiles, as <c>properties.{name}</c> fields.</summary>
    public static IReadOnlyList<CrmField> CustomFields(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return data.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object
                && a.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            .SelectMany(p => p.GetProperty("attributes").GetProperty("properties").EnumerateObject().Select(property => property.Name))
            .Where(name => name.Length > 0 && !name.StartsWith('$'))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CrmField(CustomPrefix + name, name, "custom"))
            .ToList();
    }

    [GeneratedRegex(@"[\s().\-/]", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
