using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CustomerInfo.StripeFake;

/// <summary>
/// One request as the fake received it. <see cref="Params"/> is the form body (POST) or the query
/// (GET) as Stripe reads it: <c>metadata[tenant_id]=…</c> and <c>line_items[0][price]=…</c> become
/// nested objects and arrays.
/// </summary>
public sealed record StripeFakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, JsonObject Params)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A parameter by its path (<c>"metadata.tenant_id"</c>, <c>"line_items.0.price"</c>) as text, or null.</summary>
    public string? Param(string path) => StripeParams.Find(Params, path)?.ToString();

    public static async Task<StripeFakeRequest> ReadAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        var encoded = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method)
            ? context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty
            : body;
        var parsed = StripeParams.Parse(encoded);
        var stored = new StripeFakeRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            parsed);
        context.Items[typeof(StripeFakeRequest)] = stored;
        return stored;
    }

    /// <summary>The request the gate read for this context.</summary>
    public static StripeFakeRequest Of(HttpContext context) => (StripeFakeRequest)context.Items[typeof(StripeFakeRequest)]!;
}

/// <summary>Stripe's form encoding: bracketed keys into a tree, numeric keys into arrays.</summary>
public static class StripeParams
{
    public static JsonObject Parse(string encoded)
    {
        var root = new JsonObject();
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((cut < 0 ? pair : pair[..cut]).Replace('+', ' '));
            var value = cut < 0 ? string.Empty : Uri.UnescapeDataString(pair[(cut + 1)..].Replace('+', ' '));
            Set(root, Path(key), value);
        }

        return ToArrays(root).AsObject();
    }

    public static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private static List<string> Path(string key)
    {
        var parts = new List<string>();
        var open = key.IndexOf('[', StringComparison.Ordinal);
        parts.Add(open < 0 ? key : key[..open]);
        while (open >= 0)
        {
            var close = key.IndexOf(']', open);
            if (close < 0)
            {
                break;
            }

            parts.Add(key[(open + 1)..close]);
            open = key.IndexOf('[', close);
        }

        return parts;
    }

    private static void Set(JsonObject root, List<string> path, string value)
    {
        var node = root;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var part = path[i].Length == 0 ? node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : path[i];
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        var last = path[^1].Length == 0 ? node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : path[^1];
        node[last] = value;
    }

    /// <summary>Objects whose keys are 0..n-1 become arrays, all the way down.</summary>
    private static JsonNode ToArrays(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return node.DeepClone();
        }

        var keys = obj.Select(p => p.Key).ToList();
        var indexes = keys.Select(k => int.TryParse(k, out var i) ? i : -1).ToList();
        if (keys.Count > 0 && indexes.All(i => i >= 0) && indexes.Order().SequenceEqual(Enumerable.Range(0, keys.Count)))
        {
            var array = new JsonArray();
            foreach (var i in Enumerable.Range(0, keys.Count))
            {
                array.Add(ToArrays(obj[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!));
            }

            return array;
        }

        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            copy[key] = value is null ? null : ToArrays(value);
        }

        return copy;
    }
}
