using CustomerInfo.Application.Common.Security;
using Marten;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// Who did what, from the start: every event appended by a member, the platform owner or the system
/// carries the actor, the tenant and the client's address in Marten's event headers (the audit log
/// of the hardening work reads them). A shopper's sign-up carries none: a shopper's address would be
/// personal data outside the erasure's reach, and the kiosk's hot path stays as it is.
/// </summary>
internal sealed class ActorEventHeaders : DocumentSessionListenerBase
{
    public const string ActorHeader = "actor";
    public const string TenantHeader = "tenant";
    public const string ClientHeader = "client";

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var actor = ActorContext.Now;
        if (actor.Kind == ActorKind.Anonymous)
        {
            return Task.CompletedTask;
        }

        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var @event in stream.Events)
            {
                @event.SetHeader(ActorHeader, actor.Id);
                @event.SetHeader(TenantHeader, session.TenantId);
                if (actor.ClientAddress is { } address)
                {
                    @event.SetHeader(ClientHeader, address);
                }
            }
        }

        return Task.CompletedTask;
    }
}
