using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Billing.Subscribe;

/// <summary>The Owner manages billing in Stripe's Customer Portal: card, plan, cancel, invoices.</summary>
[RequiresRole(TeamRole.Owner)]
public sealed record OpenBillingPortalCommand : ICommand<Uri?>;

/// <summary>A portal session for the tenant's Stripe customer, back to the billing page; null when the tenant never had a customer.</summary>
public sealed class OpenBillingPortalHandler(IQuerySession session, ITenantContext tenantContext, IStripeCheckout stripe, ISiteLinks links)
    : ICommandHandler<OpenBillingPortalCommand, Uri?>
{
    public const string ReturnPath = "/admin/billing";

    public async ValueTask<Uri?> Handle(OpenBillingPortalCommand command, CancellationToken cancellationToken)
    {
        var tenant = await session.LoadAsync<Tenant>(tenantContext.RequiredTenant.Id, cancellationToken) ?? tenantContext.RequiredTenant;
        return tenant.StripeCustomerId is { } customerId
            ? await stripe.StartPortalAsync(customerId, links.Store(tenant.Identifier, ReturnPath), cancellationToken)
            : null;
    }
}
