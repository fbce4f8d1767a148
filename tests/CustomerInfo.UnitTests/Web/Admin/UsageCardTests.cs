using System.Globalization;
using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Billing.GetBillingUsage;
using CustomerInfo.Web.Pages.Admin.Billing;

namespace CustomerInfo.UnitTests.Web.Admin;

public class UsageCardTests
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    [Fact]
    public void The_next_invoice_is_shown_in_euros_on_its_day()
    {
        var usage = new BillingUsage(new DateOnly(2027, 3, 1), 1200, 1000, new InvoicePreview(6200, "eur", new DateTimeOffset(2027, 4, 1, 3, 0, 0, TimeSpan.Zero)));

        var card = UsageCard.From(usage, Dutch);

        (card.NextInvoiceAmount, card.NextInvoiceDate).ShouldBe(("€62,00", "1 april 2027"));
        card.AboveIncluded.ShouldBe(200);
        card.MeterMaximum.ShouldBe(1200);
    }

    [Fact]
    public void Without_a_preview_there_is_no_next_invoice_and_under_the_included_amount_nothing_is_extra()
    {
        var card = UsageCard.From(new BillingUsage(new DateOnly(2027, 3, 1), 10, 1000, null), Dutch);

        card.HasNextInvoice.ShouldBeFalse();
        card.AboveIncluded.ShouldBe(0);
        card.MeterMaximum.ShouldBe(1000);
    }
}
