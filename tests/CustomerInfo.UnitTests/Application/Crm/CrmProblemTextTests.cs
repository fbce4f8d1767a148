using System.Globalization;
using System.Resources;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.Crm;

/// <summary>A failed push's reason is stored in parts and worded in the reader's language; the CRM's own words are quoted as they came.</summary>
public class CrmProblemTextTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    [Fact]
    public void A_crms_answer_is_framed_in_the_readers_language_around_its_own_words()
    {
        var problem = new CrmProblem(CrmProblems.Answered, CrmNames.HubSpot, Status: 400, StatusPhrase: "Bad Request", CrmText: "Property values were not valid: shoe_size");

        CrmProblemText.Describe(problem, English).ShouldBe("HubSpot answered 400 Bad Request: Property values were not valid: shoe_size");
        CrmProblemText.Describe(problem, Dutch).ShouldBe("HubSpot antwoordde 400 Bad Request: Property values were not valid: shoe_size");
    }

    [Fact]
    public void A_crm_that_did_not_answer_and_a_webhook_are_named_in_the_readers_language()
    {
        var timeout = new CrmProblem(CrmProblems.NoAnswerTimeout, CrmNames.Webhook, Host: "hooks.example.com", Detail: "10");

        CrmProblemText.Describe(timeout, English).ShouldBe("The webhook at hooks.example.com did not answer: no answer within 10 s.");
        CrmProblemText.Describe(timeout, Dutch).ShouldBe("De webhook op hooks.example.com antwoordde niet: geen antwoord binnen 10 s.");
    }

    [Fact]
    public void A_saved_contact_whose_subscription_failed_names_the_failure_inside_in_the_same_language()
    {
        var inner = new CrmProblem(CrmProblems.Answered, CrmNames.HubSpot, Status: 503, StatusPhrase: "Service Unavailable");
        var problem = new CrmProblem(CrmProblems.SubscriptionFailed, CrmNames.HubSpot, Detail: "SUBSCRIBED", Cause: inner);

        CrmProblemText.Describe(problem, English).ShouldBe("The contact was saved, but setting its HubSpot subscription to SUBSCRIBED failed: HubSpot answered 503 Service Unavailable");
        CrmProblemText.Describe(problem, Dutch).ShouldBe("Het contact is opgeslagen, maar het abonnement in HubSpot op SUBSCRIBED zetten is mislukt: HubSpot antwoordde 503 Service Unavailable");
    }

    [Fact]
    public void Several_problems_of_the_settings_follow_one_another()
    {
        var problem = new CrmProblem(CrmProblems.WebhookUrlMissing, CrmNames.Webhook, Cause: new CrmProblem(CrmProblems.WebhookSecretInvalid, CrmNames.Webhook));

        CrmProblemText.Describe(problem, Dutch).ShouldBe("De webhook heeft geen URL. Het ondertekeningsgeheim van de webhook ontbreekt of is ongeldig; maak een nieuw bij de instellingen van de koppeling.");
    }

    [Fact]
    public void A_reason_stored_before_the_parts_is_shown_as_it_was()
    {
        CrmProblemText.Show("Signed webhook answered 503 Service Unavailable", null, Dutch).ShouldBe("Signed webhook answered 503 Service Unavailable");
        CrmProblemText.Show(null, null, Dutch).ShouldBeNull();
    }

    [Fact]
    public void An_unknown_code_still_shows_the_crm_and_its_words()
    {
        var problem = new CrmProblem("SomethingNew", CrmNames.Klaviyo, CrmText: "rate limited");

        CrmProblemText.Describe(problem, English).ShouldBe("Klaviyo refused the contact: rate limited");
    }

    [Fact]
    public void Every_code_has_an_english_and_a_dutch_sentence_with_only_the_known_placeholders()
    {
        var resources = new ResourceManager(typeof(CrmProblemText));
        var codes = typeof(CrmProblems).GetFields().Select(f => (string)f.GetValue(null)!).ToList();
        codes.Count.ShouldBeGreaterThan(40);
        foreach (var code in codes)
        {
            var english = resources.GetResourceSet(CultureInfo.InvariantCulture, true, true)!.GetString(code);
            var dutch = resources.GetResourceSet(CultureInfo.GetCultureInfo("nl"), true, false)?.GetString(code);
            english.ShouldNotBeNullOrWhiteSpace(code);
            dutch.ShouldNotBeNullOrWhiteSpace(code);
            dutch.ShouldNotBe(english, code);
            foreach (var text in new[] { english!, dutch! })
            {
                System.Text.RegularExpressions.Regex.Matches(text, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ShouldAllBe(i => i <= 5, code);
                Should.NotThrow(() => CrmProblemText.Describe(new CrmProblem(code, CrmNames.HubSpot, Status: 400, StatusPhrase: "Bad Request", CrmText: "x", Detail: "d"), Dutch), code);
            }
        }
    }
}
