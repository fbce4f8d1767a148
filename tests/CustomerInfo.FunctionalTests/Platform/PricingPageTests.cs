using System.Net;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Billing;

namespace CustomerInfo.FunctionalTests.Platform;

/// <summary>The apex pricing page shows the configured plans in the visitor's language.</summary>
public class PricingPageTests(BillingAppFactory app) : IClassFixture<BillingAppFactory>
{
    private async Task<string> PageAsync(string path) =>
        WebUtility.HtmlDecode(await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync(path), HttpStatusCode.OK));

    [Fact]
    public async Task The_plan_is_shown_with_its_price_what_it_includes_and_the_trial_in_English()
    {
        var page = await PageAsync("/pricing?lang=en");

        page.ShouldContain("<h2 id=\"plan-store\">Store</h2>");
        page.ShouldContain("€29.00");
        page.ShouldContain("per store per month, VAT excluded");
        page.ShouldContain("1,000 kiosk sign-ups a month included");
        page.ShouldContain("€0.02 per kiosk sign-up above that");
        page.ShouldContain("Imported customers are free");
        page.ShouldContain("export your data for 30 days");
        page.ShouldContain("<a class=\"button\" href=\"/start\">Start your free trial</a>");
    }

    [Fact]
    public async Task In_Dutch_the_plan_has_its_Dutch_name_and_Dutch_amounts()
    {
        var page = await PageAsync("/pricing?lang=nl");

        page.ShouldContain("<html lang=\"nl\">");
        page.ShouldContain("<h2 id=\"plan-store\">Winkel</h2>");
        page.ShouldContain("€29,00");
        page.ShouldContain("1.000 aanmeldingen via de kiosk per maand inbegrepen");
        page.ShouldContain("€0,02 per aanmelding");
        page.ShouldContain("Begin je gratis proefperiode");
        page.ShouldContain("<nav><a href=\"/signin?lang=nl\">Inloggen</a></nav>", customMessage: "the platform's header speaks the page's language and keeps it on the way to sign in");
        page.ShouldContain("aanmeldingen in de winkel die je CRM bereiken");
        (await PageAsync("/pricing")).ShouldContain("<nav><a href=\"/signin\">Sign in</a></nav>");
    }

    [Fact]
    public async Task The_landing_page_and_the_trial_sign_up_page_link_to_it()
    {
        (await PageAsync("/")).ShouldContain("href=\"/pricing\"");
        (await PageAsync("/start")).ShouldContain("href=\"/pricing\"");
    }
}

/// <summary>Without plans in the configuration the page says how to learn the price instead of showing nothing.</summary>
public class PricingWithoutPlansTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task No_configured_plan_gives_a_clear_contact_text_not_an_empty_page()
    {
        var page = WebUtility.HtmlDecode(await AppFactory.ReadAsync(await app.ClientFor("localhost").GetAsync("/pricing?lang=en"), HttpStatusCode.OK));

        page.ShouldContain("We are setting our prices. Contact us through the free trial");
        page.ShouldNotContain("class=\"card plan\"");
        page.ShouldContain("href=\"/start\"");
    }
}
