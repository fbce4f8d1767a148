using System.Globalization;
using CustomerInfo.Application.Billing;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Web.Pages.Platform;

/// <summary>The plans as configured (<c>Billing:Plans</c>), so a price change needs no code; none configured says so.</summary>
public sealed class PricingModel(IOptions<BillingOptions> billing) : PageModel
{
    public IReadOnlyList<BillingPlan> Plans { get; } = billing.Value.Plans;

    public static bool InDutch => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "nl";

    public static string NameOf(BillingPlan plan) => InDutch && !string.IsNullOrWhiteSpace(plan.NameNl) ? plan.NameNl : plan.Name;

    /// <summary>An amount as the visitor writes money (€29,00 in Dutch, €29.00 in English); extra sign-ups keep their cents.</summary>
    public static string Money(decimal amount, string currency)
    {
        var symbol = string.Equals(currency, "eur", StringComparison.OrdinalIgnoreCase) ? "€" : currency.ToUpperInvariant() + " ";
        var format = decimal.Round(amount, 2) == amount ? "#,0.00" : "#,0.00##";
        return symbol + amount.ToString(format, CultureInfo.CurrentCulture);
    }

    public static string Count(int value) => value.ToString("#,0", CultureInfo.CurrentCulture);
}
