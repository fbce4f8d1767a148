using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CustomerInfo.StripeFake;

/// <summary>
/// Every object the fake holds, by id, as the JSON Stripe would answer. Routes change objects under
/// <see cref="Gate"/> (one writer at a time: the fake is not a load test target), and always answer a
/// copy, so a caller never sees a half-changed object.
/// </summary>
public sealed class StripeFakeState(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);

    // Object ids by their customer: a customer's subscriptions are found without copying every object
    // the fake holds (the billing run's benchmark asks for each of 10,000 customers).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> byCustomer = new(StringComparer.Ordinal);

    public object Gate { get; } = new();

    public DateTimeOffset Now => clock.GetUtcNow();

    public static string NewId(string prefix) =>
        $"{prefix}_{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24)}";

    /// <summary>Stores (or replaces) an object under its <c>id</c>.</summary>
    public JsonObject Put(JsonObject stripeObject)
    {
        var id = stripeObject["id"]?.ToString() ?? throw new ArgumentException("A Stripe object has an id.", nameof(stripeObject));
        objects[id] = stripeObject;
        if (stripeObject["customer"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            byCustomer.GetOrAdd(stripeObject["customer"]!.ToString(), _ => new(StringComparer.Ordinal)).TryAdd(id, 0);
        }

        return stripeObject;
    }

    /// <summary>A copy of the object, or null when there is none with that id.</summary>
    public JsonObject? Get(string id) => objects.TryGetValue(id, out var found) ? found.DeepClone().AsObject() : null;

    /// <summary>The stored object itself, to change under <see cref="Gate"/>.</summary>
    public JsonObject? Live(string id) => objects.GetValueOrDefault(id);

    /// <summary>Copies of every object whose <c>object</c> is <paramref name="objectType"/>, oldest first.</summary>
    public IReadOnlyList<JsonObject> All(string objectType) =>
        [.. objects.Values
            .Where(o => string.Equals(o["object"]?.ToString(), objectType, StringComparison.Ordinal))
            .OrderBy(o => o["created"]?.GetValue<long>() ?? 0)
            .Select(o => o.DeepClone().AsObject())];

    /// <summary>Copies of the objects of <paramref name="objectType"/> that belong to the customer, oldest first.</summary>
    public IReadOnlyList<JsonObject> OwnedBy(string customerId, string objectType) =>
        [.. (byCustomer.TryGetValue(customerId, out var ids) ? ids.Keys : [])
            .Select(id => objects.GetValueOrDefault(id))
            .OfType<JsonObject>()
            .Where(o => string.Equals(o["object"]?.ToString(), objectType, StringComparison.Ordinal))
            .OrderBy(o => o["created"]?.GetValue<long>() ?? 0)
            .Select(o => o.DeepClone().AsObject())];

    /// <summary>Stripe's list shape.</summary>
    public static JsonObject List(string url, IEnumerable<JsonObject> data, bool hasMore = false) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. data]),
        ["has_more"] = hasMore,
        ["url"] = url,
    };
}
