using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Domain.Accounts;

namespace CustomerInfo.Application.Common.Security;

/// <summary>Anyone may send this request: a shopper at the kiosk, a visitor signing up or in.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AnyoneAttribute : Attribute;

/// <summary>Only a member of the host's tenant with at least this role may send this request.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresRoleAttribute(TeamRole role) : Attribute
{
    public TeamRole Role { get; } = role;
}

/// <summary>Only the platform owner may send this request.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PlatformOwnerOnlyAttribute : Attribute;

/// <summary>
/// Background work may send this request as the system principal, besides whoever else its other
/// attribute names. Every <see cref="IJobCommand"/> may be sent by the system without this.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SystemMaySendAttribute : Attribute;

/// <summary>Who may send one request type, read from its attributes once.</summary>
public sealed record AccessRule(bool Anyone, TeamRole? Role, bool PlatformOwner, bool System)
{
    /// <summary>The rule of <paramref name="requestType"/>, or null when it declares none (a mistake a unit test catches).</summary>
    public static AccessRule? Of(Type requestType)
    {
        var anyone = requestType.IsDefined(typeof(AnyoneAttribute), inherit: false);
        var role = (Attribute.GetCustomAttribute(requestType, typeof(RequiresRoleAttribute), inherit: false) as RequiresRoleAttribute)?.Role;
        var owner = requestType.IsDefined(typeof(PlatformOwnerOnlyAttribute), inherit: false);
        var system = typeof(IJobCommand).IsAssignableFrom(requestType) || requestType.IsDefined(typeof(SystemMaySendAttribute), inherit: false);
        var declared = (anyone ? 1 : 0) + (role is null ? 0 : 1) + (owner ? 1 : 0);
        return declared > 1 || (declared == 0 && !system) ? null : new AccessRule(anyone, role, owner, system);
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may send the request on the host of <paramref name="hostTenant"/>
    /// (null on the platform's own host). A member is never let through on another tenant's host.
    /// </summary>
    public bool Allows(Actor actor, Guid? hostTenant) => actor.Kind switch
    {
        ActorKind.System => System,
        ActorKind.PlatformOwner => Anyone || PlatformOwner,
        ActorKind.Member => Anyone || (Role is { } required && hostTenant is { } host && actor.TenantId == host && actor.Role is { } held && held.Grants(required)),
        _ => Anyone,
    };
}

/// <summary>The actor may not send this request. Pages answer 404 when the actor belongs to another tenant, else 403.</summary>
public sealed class AccessDeniedException(string requestName, ActorKind actor, bool otherTenant)
    : Exception($"{actor} may not send {requestName}.")
{
    public bool OtherTenant { get; } = otherTenant;
}
