using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;

namespace CustomerInfo.Application.Audit;

/// <summary>
/// What an entry's sentence names, looked up now: a member still in the team by their address, one who
/// left as "a former member" (the log keeps no name or address of its own), a store by its name, a
/// day in the retailer's time zone.
/// </summary>
public sealed class AuditNames(AuditText text, IReadOnlyDictionary<Guid, TeamMember> members, IReadOnlyDictionary<Guid, RetailStore> stores, TimeZoneInfo zone)
{
    public AuditText Text { get; } = text;

    public string Member(Guid id) => members.TryGetValue(id, out var member) ? member.Email : Text.Get("FormerMember");

    public string Store(Guid id) => stores.TryGetValue(id, out var store) ? store.Name : Text.Get("UnknownStore");

    public string Role(TeamRole role) => Text.Get("Role_" + (Enum.IsDefined(role) ? role : TeamRole.Staff));

    public string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d", Text.Culture);

    public string Say(string key, params object?[] arguments) => Text.Format(key, arguments);

    /// <summary>Who did it, from the <c>actor</c> header (ActorEventHeaders), or the member the event is about when none was recorded.</summary>
    public string Actor(string? actor, Guid? self) => actor switch
    {
        null or "" => self is { } member ? Member(member) : Text.Get("ActorUnrecorded"),
        "platform-owner" => Text.Get("ActorPlatform"),
        _ when actor.StartsWith("system:", StringComparison.Ordinal) => Text.Get("ActorSystem"),
        _ when actor.StartsWith("member:", StringComparison.Ordinal) && Guid.TryParse(actor.AsSpan("member:".Length), out var id) => Member(id),
        _ => Text.Get("ActorUnrecorded"),
    };
}
