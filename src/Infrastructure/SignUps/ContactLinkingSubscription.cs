using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure.SignUps;

/// <summary>
/// Follows the event log (progress kept in PostgreSQL by Marten's async daemon) and, per page of
/// events and per tenant in it, links its received sign-ups together (<see cref="LinkSignUpsToContactsCommand"/>:
/// one read of their streams, one of their index keys, one commit, unless a merge splits them) and then queues their CRM push as one job per tenant
/// (<see cref="PushSignUpsToCrmCommand"/> on the <c>crm</c> queue, at most
/// <see cref="PushSignUpsToCrmCommand.MaxSignUps"/> sign-ups each); a consent withdrawn queues the
/// contact's push again. Working from the log means no sign-up can be missed between its commit and
/// this step: the daemon records its progress only after a page is done, so a crash between the
/// links and the enqueue replays the page, the links find themselves made, and the pushes are queued
/// then (ADR 19). The daemon runs on one node at a time and in order, and a tenant's events are linked
/// in their order, so two sign-ups of one shopper never race; different tenants are linked side by side.
/// </summary>
public sealed partial class ContactLinkingSubscription : SubscriptionBase
{
    /// <summary>Tenants of one page linked at once: enough to overlap their round trips, few enough to leave the pool to the kiosk.</summary>
    private const int TenantsAtOnce = 4;

    /// <summary>Attempts at a tenant's events of a page when an append loses a race for a stream, before the page fails.</summary>
    private const int AttemptsOnConflict = 3;

    private static readonly Actor Linking = Actor.System("contact-linking");

    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<ContactLinkingSubscription> logger;

    public ContactLinkingSubscription(IServiceScopeFactory scopes, ILogger<ContactLinkingSubscription> logger)
    {
        this.scopes = scopes;
        this.logger = logger;
        Name = Application.SignUps.PassedOver.FindPassedOverSignUpsHandler.SubscriptionName;
        IncludeType<SignUpSubmitted>();
        IncludeType<ConsentWithdrawn>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // One tenant scope (one tenant lookup, one read of its connection) per tenant per page; the
        // tenant's events keep their order. Tenants go side by side: their contacts never meet. A
        // tenant that fails fails the page, which is tried again whole (the others' links are then
        // found made, and their pushes queued again are pushed once, ADR 19).
        var tenants = page.Events.GroupBy(e => e.TenantId).Select(g => (Key: g.Key, Events: g.ToList())).ToList();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = TenantsAtOnce, CancellationToken = cancellationToken }, async (tenant, token) =>
        {
            if (!Guid.TryParse(tenant.Key, out var tenantId))
            {
                return;
            }

            if (!await RunTryingAgainOnConflictAsync(tenantId, () => WorkScope.RunForTenantAsync(scopes, Linking, tenantId, services => LinkAndQueueAsync(services, tenantId, tenant.Events, token), token), token))
            {
                foreach (var @event in tenant.Events)
                {
                    LogUnknownTenant(@event.StreamId);
                }
            }
        });

        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Another writer appended to one of the page's streams at the same moment (a push storing its
    /// outcome, a retry being queued): Marten's quick append numbers a stream's events from the version
    /// it reads without a lock, so the append that commits second fails on the stream's (stream,
    /// version) key. Nothing of that unit of work was stored; the tenant's events are tried again at
    /// once, in their own new scope (the link reads the streams again and finds what is made), instead
    /// of failing the page, which pauses the subscription for every store until the daemon restarts it.
    /// </summary>
    private async Task<bool> RunTryingAgainOnConflictAsync(Guid tenantId, Func<Task<bool>> run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run();
            }
            catch (ConcurrencyException exception) when (attempt < AttemptsOnConflict)
            {
                LogTriedAgain(tenantId, attempt, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    private async Task LinkAndQueueAsync(IServiceProvider services, Guid tenantId, IReadOnlyList<IEvent> events, CancellationToken cancellationToken)
    {
        var tenant = services.GetRequiredService<ITenantContext>().RequiredTenant;
        var connection = await services.GetRequiredService<IQuerySession>().LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var crm = connection is { Active: true } ? connection.Kind : null;
        var jobs = services.GetRequiredService<IBackgroundJobs>();
        var toPush = new List<Guid>();
        var toLink = new List<Guid>();
        foreach (var @event in events)
        {
            switch (@event.Data)
            {
                case SignUpSubmitted submitted:
                    toLink.Add(submitted.SignUpId);
                    if (submitted.PushToCrm)
                    {
                        toPush.Add(submitted.SignUpId);
                    }

                    break;
                case ConsentWithdrawn withdrawn:
                    // The sign-ups before it are linked first, so the contact is looked up as it is after them.
                    await LinkAsync(tenant, toLink, cancellationToken);
                    toLink.Clear();
                    // The shopper withdrew a consent: their contact is pushed again, as it is now, through its latest sign-up.
                    if (await services.GetRequiredService<IQuerySession>().LatestSignUpIdAsync(withdrawn.ContactId, cancellationToken) is { } latest)
                    {
                        jobs.Enqueue(new PushSignUpsToCrmCommand(tenantId, [latest], @event.Sequence, Store: tenant.Identifier, Crm: crm), JobLane.Crm);
                    }

                    break;
            }
        }

        await LinkAsync(tenant, toLink, cancellationToken);

        foreach (var push in PushSignUpsToCrmCommand.Of(tenantId, toPush, tenant.Identifier, crm))
        {
            jobs.Enqueue(push, JobLane.Crm);
        }
    }

    /// <summary>
    /// The tenant's sign-ups of this page in one unit of work (their own scope and session, apart from
    /// the lookups above), as many as their merges allow; a failure fails the page, which is tried again.
    /// </summary>
    private async Task LinkAsync(Tenant tenant, List<Guid> signUpIds, CancellationToken cancellationToken)
    {
        if (signUpIds.Count == 0)
        {
            return;
        }

        await using var scope = WorkScope.Enter(scopes, Linking, tenant);
        var links = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new LinkSignUpsToContactsCommand([.. signUpIds]), cancellationToken);
        foreach (var (signUpId, link) in signUpIds.Zip(links))
        {
            // A merge reaches the CRM with this push: the ContactAbsorbed events it caused name the absorbed contacts.
            if (link.MergedContactIds.Count > 0)
            {
                LogMerged(signUpId, link.MergedContactIds.Count, link.ContactId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linking store {TenantId}'s sign-ups lost a race for a stream (attempt {Attempt}, {Error}); tried again")]
    private partial void LogTriedAgain(Guid tenantId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId} belongs to no known store; not linked or pushed")]
    private partial void LogUnknownTenant(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-up {SignUpId} showed {Count} other contact(s) to be the same shopper; merged into contact {ContactId}")]
    private partial void LogMerged(Guid signUpId, int count, Guid? contactId);
}
