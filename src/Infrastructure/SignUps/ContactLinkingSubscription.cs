using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Tenancy;
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

            await using var scope = scopes.CreateAsyncScope();
            var tenant = await scope.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdAsync(tenantId, cancellationToken);
            if (tenant is null)
            {
                LogUnknownTenant(submitted.SignUpId);
                continue;
            }

            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new LinkSignUpToContactCommand(submitted.SignUpId), cancellationToken);
        }

        return NullChangeListener.Instance;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-up {SignUpId} belongs to no known store; not linked")]
    private partial void LogUnknownTenant(Guid signUpId);
}
