using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
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
/// received sign-up, sends <see cref="LinkSignUpToContactCommand"/> in that sign-up's store and then
/// queues its CRM push (<see cref="PushSignUpToCrmCommand"/> on the <c>crm</c> queue); a consent
/// withdrawn queues the contact's push again. Working from the log means no sign-up can be missed
/// between its commit and this step: the daemon records its progress only after a page is done, so
/// a crash between the link and the enqueue replays the page, the link finds itself made, and the
/// push is queued then (ADR 19). The daemon runs on one node at a time and in order, so two sign-ups
/// of one shopper never race.
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
        IncludeType<ConsentWithdrawn>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var @event in page.Events)
        {
            if (!Guid.TryParse(@event.TenantId, out var tenantId))
            {
                continue;
            }

            var found = @event.Data switch
            {
                SignUpSubmitted submitted => await WorkScope.RunForTenantAsync(scopes, Linking, tenantId, services => LinkAndQueueAsync(services, tenantId, submitted, cancellationToken), cancellationToken),
                ConsentWithdrawn withdrawn => await WorkScope.RunForTenantAsync(scopes, Linking, tenantId, services => QueueAgainAsync(services, tenantId, withdrawn, @event.Sequence, cancellationToken), cancellationToken),
                _ => true,
            };
            if (!found)
            {
                LogUnknownTenant(@event.StreamId);
            }
        }

        return NullChangeListener.Instance;
    }

    private async Task LinkAndQueueAsync(IServiceProvider services, Guid tenantId, SignUpSubmitted submitted, CancellationToken cancellationToken)
    {
        var link = await services.GetRequiredService<ISender>().Send(new LinkSignUpToContactCommand(submitted.SignUpId), cancellationToken);

        // A merge reaches the CRM with this push: the ContactAbsorbed events it caused name the absorbed contacts.
        if (link.MergedContactIds.Count > 0)
        {
            LogMerged(submitted.SignUpId, link.MergedContactIds.Count, link.ContactId);
        }

        if (submitted.PushToCrm)
        {
            services.GetRequiredService<IBackgroundJobs>().Enqueue(await PushOfAsync(services, tenantId, submitted.SignUpId, 0, cancellationToken), JobLane.Crm);
        }
    }

    /// <summary>The shopper withdrew a consent: their contact is pushed again, as it is now, through its latest sign-up.</summary>
    private static async Task QueueAgainAsync(IServiceProvider services, Guid tenantId, ConsentWithdrawn withdrawn, long sequence, CancellationToken cancellationToken)
    {
        var session = services.GetRequiredService<IQuerySession>();
        var contact = await session.LoadCurrentAsync(withdrawn.ContactId, cancellationToken);
        if (contact is { SignUpIds.Count: > 0 })
        {
            var ids = contact.SignUpIds.ToArray();
            var latest = await session.Query<SignUpSummary>().Where(s => s.Id.IsOneOf(ids)).OrderByDescending(s => s.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
            if (latest is not null)
            {
                services.GetRequiredService<IBackgroundJobs>().Enqueue(await PushOfAsync(services, tenantId, latest.Id, sequence, cancellationToken), JobLane.Crm);
            }
        }
    }

    /// <summary>The push job, named for the dashboard with the store's subdomain and its CRM (when it has one).</summary>
    private static async Task<PushSignUpToCrmCommand> PushOfAsync(IServiceProvider services, Guid tenantId, Guid signUpId, long trigger, CancellationToken cancellationToken)
    {
        var connection = await services.GetRequiredService<IQuerySession>().LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var store = services.GetRequiredService<ITenantContext>().RequiredTenant.Identifier;
        return new PushSignUpToCrmCommand(tenantId, signUpId, trigger, Store: store, Crm: connection is { Active: true } ? connection.Kind : null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId} belongs to no known store; not linked or pushed")]
    private partial void LogUnknownTenant(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-up {SignUpId} showed {Count} other contact(s) to be the same shopper; merged into contact {ContactId}")]
    private partial void LogMerged(Guid signUpId, int count, Guid? contactId);
}
