namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// Which parts of the events are a shopper's personal data, and each of those events without them:
/// what an erasure leaves in the event log (ADR 10). These are the only event types that may hold
/// personal data; a new one must be added here, which a test checks. The store's own wording (the
/// consent texts), ids, times and places stay: they say nothing about who the shopper was.
/// </summary>
public static class ShopperData
{
    /// <summary>A shopper of whom nothing is known (any more).</summary>
    public static readonly Shopper None = new(null, null, null, null, null, null);

    /// <summary>The answers go too: a free-text answer can hold anything, a choice can say much about a person.</summary>
    public static SignUpSubmitted Erase(SignUpSubmitted submitted) => submitted with { Shopper = None, Answers = [] };

    public static ContactCreated Erase(ContactCreated created) => created with { Shopper = None };

    public static ContactDetailsUpdated Erase(ContactDetailsUpdated updated) => updated with { Shopper = None };

    /// <summary>The repointed keys are hashes (ADR 10), but a hash of an address still points at a person.</summary>
    public static ContactAbsorbed Erase(ContactAbsorbed absorbed) =>
        absorbed with { Absorbed = absorbed.Absorbed with { Shopper = None }, RepointedKeys = [] };

    public static ContactMergedInto Erase(ContactMergedInto merged) => merged with { RepointedKeys = [] };
}
