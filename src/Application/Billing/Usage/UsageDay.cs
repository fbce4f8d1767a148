using System.Globalization;

namespace CustomerInfo.Application.Billing.Usage;

/// <summary>
/// Our own ledger of the meter (ADR 22): one document per tenant and UTC day whose kiosk sign-ups
/// Stripe accepted, in the tenant's conjoined tenant (erased with the tenant's data, read in the
/// same session as the sign-ups it counts). Stored only after Stripe answered, so a day without one
/// is a day still to report; Stripe forgets meter identifiers after about a day, this never does.
/// </summary>
/// <param name="Id"><see cref="IdOf"/> the day: one document per day, whatever the number of runs.</param>
/// <param name="Identifier">The meter event's identifier and idempotency key (<see cref="UsageDays.Identifier"/>).</param>
public sealed record UsageDay(string Id, DateOnly Day, long KioskSignUps, string Identifier, DateTimeOffset ReportedAt)
{
    public static string IdOf(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
