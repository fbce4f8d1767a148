using CustomerInfo.Domain.Accounts;

namespace CustomerInfo.Application.Common.Security;

public enum ActorKind
{
    /// <summary>Nobody signed in: a shopper at the kiosk, a visitor of the platform pages.</summary>
    Anonymous,

    /// <summary>A member of one retailer's team.</summary>
    Member,

    /// <summary>The operator of CustomerInfo, at /owner.</summary>
    PlatformOwner,

    /// <summary>Background work: a Hangfire job, the event subscriptions, the development seed.</summary>
    System,
}

/// <summary>
/// Who sends a request. <see cref="Id"/> is what the history records (never an address or a name);
/// a member's tenant is compared with the host's on every request.
/// </summary>
public sealed record Actor(ActorKind Kind, string Id, Guid? TenantId = null, TeamRole? Role = null, string? ClientAddress = null)
{
    public static readonly Actor Anonymous = new(ActorKind.Anonymous, "anonymous");

    /// <summary>Anonymous, with the client's address for a sign-in that turns the request into a member's.</summary>
    public static Actor AnonymousFrom(string? clientAddress) => Anonymous with { ClientAddress = clientAddress };

    public static Actor System(string name) => new(ActorKind.System, "system:" + name);

    public static Actor PlatformOwner(string? clientAddress = null) => new(ActorKind.PlatformOwner, "platform-owner", ClientAddress: clientAddress);

    public static Actor Member(Guid tenantId, Guid memberId, TeamRole role, string? clientAddress = null) =>
        new(ActorKind.Member, "member:" + memberId, tenantId, role, clientAddress);

    public Guid? MemberId => Kind == ActorKind.Member && Guid.TryParse(Id.AsSpan("member:".Length), out var id) ? id : null;
}

/// <summary>
/// The actor of the current request or job. Set once where the work enters (the web pipeline after
/// authentication, a job, a subscription) and read by the authorization behaviour and by the
/// event metadata. Also kept in an async-local, so Marten's session listener (a singleton) sees it.
/// </summary>
public sealed class ActorContext
{
    private static readonly AsyncLocal<Actor?> Ambient = new();

    public Actor Current { get; private set; } = Actor.Anonymous;

    /// <summary>The actor of the code running now, wherever it runs; anonymous when none was set.</summary>
    public static Actor Now => Ambient.Value ?? Actor.Anonymous;

    public void Set(Actor actor)
    {
        Current = actor;
        Ambient.Value = actor;
    }

    /// <summary>
    /// Makes this scope's actor the ambient one for the code that runs next. An async-local set inside
    /// an async method does not flow back to its caller, so the authorization behaviour calls this
    /// before every handler, whichever way its scope was entered.
    /// </summary>
    public void Flow() => Ambient.Value = Current;
}
