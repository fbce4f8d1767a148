using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using Mediator;

namespace CustomerInfo.Application.Common.Behaviours;

/// <summary>
/// Before validation, so nobody learns from error messages what they may not do: the request's
/// declared rule (<see cref="AccessRule"/>) against the current actor and the host's tenant.
/// A request without a rule is refused: new requests are closed until someone decides who may send them.
/// </summary>
public sealed class AuthorizationBehaviour<TMessage, TResponse>(ActorContext actors, ITenantContext tenants)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly AccessRule? Rule = AccessRule.Of(typeof(TMessage));

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var actor = actors.Current;
        var host = tenants.Tenant?.Id;
        if (Rule is null || !Rule.Allows(actor, host))
        {
            var otherTenant = actor.Kind == ActorKind.Member && actor.TenantId != host;
            throw new AccessDeniedException(typeof(TMessage).Name, actor.Kind, otherTenant);
        }

        actors.Flow();
        return next(message, cancellationToken);
    }
}
