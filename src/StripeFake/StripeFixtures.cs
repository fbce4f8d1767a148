using System.Text.Json.Nodes;

namespace CustomerInfo.StripeFake;

/// <summary>
/// Stripe's own example object of each resource the fake serves (from stripe/openapi's
/// <c>fixtures3.json</c>, MIT, see Fixtures/LICENSE-stripe-fixtures.txt). A route starts from one and
/// overwrites what the request sets, so every answer has Stripe's real shape.
/// </summary>
public static class StripeFixtures
{
    private static readonly Lazy<JsonObject> All = new(() =>
    {
        using var stream = typeof(StripeFixtures).Assembly.GetManifestResourceStream("stripe-objects.json")
            ?? throw new InvalidOperationException("The Stripe fixtures are not embedded.");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>A fresh copy of the fixture of <paramref name="resource"/> (e.g. "customer", "checkout.session").</summary>
    public static JsonObject New(string resource) =>
        All.Value[resource]?.DeepClone().AsObject() ?? throw new ArgumentException($"No Stripe fixture for '{resource}'.", nameof(resource));
}
