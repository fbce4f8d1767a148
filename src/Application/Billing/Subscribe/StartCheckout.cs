using System.Globalization;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.Subscribe;

/// <summary>The Owner subscribes the host's store to <see cref="PlanId"/> (null: the first plan) through Stripe Checkout.</summary>
[RequiresRole(TeamRole.Owner)]
public sealed record StartCheckoutCommand(string? PlanId) : ICommand<StartCheckoutOutcome>;

public enum CheckoutRefusal
{
    UnknownPlan,

    /// <summary>A subscription is running (active or past due): plan, card and cancel are the portal's.</summary>
    AlreadySubscribed,

    /// <summary>Canceled longer ago than the read-only days: the data is erased, so nothing is left to subscribe.</summary>
    Erased,
}

/// <summary>Where to send the Owner (Stripe's Checkout page), or why not.</summary>
public sealed record StartCheckoutOutcome(Uri? CheckoutUrl, CheckoutRefusal? Refusal = null);

/// <summary>
/// Creates the tenant's Stripe customer the first time (the idempotency key makes a retry after a crash
/// get the same customer, and linking it twice changes nothing), then a Checkout Session for the
/// plan's prices: the tenant's own store price when the platform owner set one, as many stores as are
/// active. Nothing is granted here: the tenant turns active when Stripe's webhook says it paid.
/// </summary>
public sealed class StartCheckoutHandler(
    IQuerySession session, ITenantContext tenantContext, ActorContext actors, TenantFacts facts, IStripeCheckout stripe,
    ISiteLinks links, IOptions<BillingOptions> billing, IClock clock)
    : ICommandHandler<StartCheckoutCommand, StartCheckoutOutcome>
{
    public const string ReturnPath = "/admin/billing/return?session_id={CHECKOUT_SESSION_ID}";
    public const string CancelPath = "/admin/billing?checkout=canceled";

    public async ValueTask<StartCheckoutOutcome> Handle(StartCheckoutCommand command, CancellationToken cancellationToken)
    {
        var options = billing.Value;
        if ((command.PlanId is null ? options.Plans.FirstOrDefault() : options.Plan(command.PlanId)) is not { } plan)
        {
            return new StartCheckoutOutcome(null, CheckoutRefusal.UnknownPlan);
        }

        var tenant = await session.LoadAsync<Tenant>(tenantContext.RequiredTenant.Id, cancellationToken) ?? tenantContext.RequiredTenant;
        if (BillingStates.Of(tenant, options, clock.UtcNow) switch
        {
            BillingState.Subscribed => CheckoutRefusal.AlreadySubscribed,
            BillingState.Erased => CheckoutRefusal.Erased,
            _ => (CheckoutRefusal?)null,
        } is { } refusal)
        {
            return new StartCheckoutOutcome(null, refusal);
        }

        var customerId = tenant.StripeCustomerId ?? await CreateCustomerAsync(tenant, cancellationToken);
        var stores = await session.Query<RetailStore>().CountAsync(s => s.Status == StoreStatus.Active, cancellationToken);
        var url = await stripe.StartCheckoutAsync(
            new CheckoutStart(
                tenant.Id, customerId, plan.Id, tenant.CustomStorePriceId ?? plan.StorePriceId, plan.SignUpPriceId, Math.Max(1, stores),
                links.Store(tenant.Identifier, ReturnPath), links.Store(tenant.Identifier, CancelPath), options.AutomaticTax, Locale()),
            cancellationToken);
        return new StartCheckoutOutcome(url);
    }

    private async Task<string> CreateCustomerAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        // The Owner who subscribes gets Stripe's invoices and receipts.
        var owner = actors.Current.MemberId is { } memberId ? await session.LoadAsync<TeamMember>(memberId, cancellationToken) : null;
        var customerId = await stripe.CreateCustomerAsync(tenant.Id, tenant.Name, owner?.Email ?? string.Empty, cancellationToken);
        var change = await facts.RecordAsync(tenant.Id, new TenantFact.LinkStripeCustomer(customerId, clock.UtcNow), cancellationToken);
        return change.IsRefused && change.Tenant?.StripeCustomerId is { } linked ? linked : customerId;
    }

    /// <summary>Stripe's pages in the admin's language: Dutch or English.</summary>
    private static string Locale() => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "nl" ? "nl" : "en";
}
