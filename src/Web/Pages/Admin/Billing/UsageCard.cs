using System.Globalization;
using CustomerInfo.Application.Billing.GetBillingUsage;

namespace CustomerInfo.Web.Pages.Admin.Billing;

/// <summary>What the usage card (_Usage.cshtml) shows of <see cref="BillingUsage"/>, formatted for the page's culture.</summary>
public sealed record UsageCard(long KioskSignUps, int IncludedSignUps, string? NextInvoiceAmount, string? NextInvoiceDate)
{
    public static UsageCard From(BillingUsage usage, CultureInfo culture) => new(
        usage.KioskSignUps,
        usage.IncludedSignUps,
        usage.NextInvoice is { } invoice ? Amount(invoice.AmountDue, invoice.Currency, culture) : null,
        usage.NextInvoice?.NextPaymentAt?.ToString("d MMMM yyyy", culture));

    /// <summary>Sign-ups above the plan's included amount: what the meter bills.</summary>
    public long AboveIncluded => Math.Max(0, KioskSignUps - IncludedSignUps);

    /// <summary>The meter's scale: the included amount, or the count once it is above it.</summary>
    public long MeterMaximum => Math.Max(Math.Max(IncludedSignUps, KioskSignUps), 1);

    public bool HasNextInvoice => NextInvoiceAmount is not null;

    /// <summary>Stripe's amounts are in cents; the euro is shown with its sign, another currency with its code.</summary>
    private static string Amount(long cents, string currency, CultureInfo culture)
    {
        var amount = (cents / 100m).ToString("N2", culture);
        return string.Equals(currency, "eur", StringComparison.OrdinalIgnoreCase) ? $"€{amount}" : $"{currency.ToUpperInvariant()} {amount}";
    }
}
