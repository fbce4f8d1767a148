using CustomerInfo.Domain.Tenants;
using Marten;

namespace CustomerInfo.Application.Billing.Usage;

/// <summary>
/// Reports a tenant's complete days of kiosk sign-ups to the meter, each day once (ADR 22): a day is
/// written to the ledger (<see cref="UsageDay"/>) only after Stripe accepted it, one day per
/// transaction, so a failure halfway keeps the days before it. A day whose report reached Stripe but
/// whose answer was lost is sent again with the same identifier, which Stripe replays or refuses as
/// already used: <see cref="IStripeBilling.ReportUsageAsync"/> takes both as reported.
/// </summary>
public sealed class UsageReporting(IStripeBilling stripe)
{
    /// <param name="session">A session of the tenant: its sign-ups and its ledger.</param>
    /// <returns>The newest day now reported (or without sign-ups); null when no day is complete yet.</returns>
    public async Task<DateOnly?> ReportAsync(IDocumentSession session, Tenant tenant, StripeSubscriptionState subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (UsageDays.ToReport(now, subscription.Created) is not { } days)
        {
            return null;
        }

        // Days without sign-ups have nothing to report and stay without a ledger entry.
        var counts = await KioskSignUpCounts.PerDayAsync(session, days, cancellationToken);
        var reported = (await session.LoadManyAsync<UsageDay>(cancellationToken, counts.Keys.Select(UsageDay.IdOf)))
            .Select(d => d.Day)
            .ToHashSet();
        foreach (var (day, signUps) in counts.Where(c => !reported.Contains(c.Key)).OrderBy(c => c.Key))
        {
            var identifier = UsageDays.Identifier(tenant.Id, day);
            await stripe.ReportUsageAsync(subscription.CustomerId, day, signUps, identifier, cancellationToken);
            session.Store(new UsageDay(UsageDay.IdOf(day), day, signUps, identifier, now));
            await session.SaveChangesAsync(cancellationToken);
        }

        return days.Through;
    }
}
