using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Jobs;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure.SignUps;

/// <summary>
/// Follows the event log (progress kept in PostgreSQL by Marten's async daemon) and, for each
/// received sign-up, sends <see cref="LinkSignUpToContactCommand"/> in that sign-up's store.
/// Working from the log means no sign-up can be missed between its commit and this step; the daemon
/// runs on one node at a time and in order, so two sign-ups of one shopper never race.
/// </summary>
public sealed partial class ContactLinkingSubscription : SubscriptionBase
{
    private static readonly Actor Linking = Actor.System("contact-linking");

    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<ContactLinkingSubscription> logger;

    public ContactLinkingSubscription(IServiceScopeFactory scopes, ILogger<ContactLinkingSubscription> logger)
    {
        this.scopes = scopes;
        this.logger = logger;
        Name = "ContactLinking";
        IncludeType<SignUpSubmitted>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var @event in page.Events)
        {
            if (@event.Data is not SignUpSubmitted submitted || !Guid.TryParse(@event.TenantId, out var tenantId))
            {
                continue;
            }

            await using var entered = await WorkScope.EnterTenantAsync(scopes, Linking, tenantId, cancellationToken);
            if (entered is not { } scope)
            {
                LogUnknownTenant(submitted.SignUpId);
                continue;
            }

            var link = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new LinkSignUpToContactCommand(submitted.SignUpId), cancellationToken);

            // Where the CRM push will be enqueued: a merge means the CRM's records of the absorbed
            // contacts must become the survivor's (the ContactAbsorbed events hold the details).
            if (link.MergedContactIds.Count > 0)
            {
                LogMerged(submitted.SignUpId, link.MergedContactIds.Count, link.ContactId);
            }
        }

        return NullChangeListener.Instance;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-up {SignUpId} belongs to no known store; not linked")]
    private partial void LogUnknownTenant(Guid signUpId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-up {SignUpId} showed {Count} other contact(s) to be the same shopper; merged into contact {ContactId}")]
    private partial void LogMerged(Guid signUpId, int count, Guid? contactId);
}
