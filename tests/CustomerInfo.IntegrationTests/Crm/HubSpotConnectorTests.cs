using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm;
using CustomerInfo.Infrastructure.Crm.HubSpot;
using CustomerInfo.TestSupport.Crm;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>The HubSpot connector against <see cref="FakeHubSpot"/> over real HTTP on loopback.</summary>
public sealed class HubSpotConnectorTests : IAsyncLifetime
{
    private FakeHubSpot hubSpot = null!;
    private ServiceProvider services = null!;

    private HubSpotConnector Connector => services.GetRequiredService<HubSpotConnector>();

    private CrmTarget Target(params CrmFieldMapping[] mapping) => TargetWith(hubSpot.Token, mapping);

    public async Task InitializeAsync()
    {
        hubSpot = await FakeHubSpot.StartNewAsync();
        services = Services(hubSpot.BaseUrl, timeoutSeconds: 5);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await hubSpot.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_with_mixed_contacts_gives_each_contact_its_own_outcome()
    {
        hubSpot.AddProperty("favorite_department", "enumeration", "select", ["women", "men", "kids"]);
        var answer = (string value) => new CrmAnswer("department", "Department", [value]);
        var contacts = new[]
        {
            Contact("ann@example.com", answers: [answer("women")]),
            Contact(null, firstName: "Bob"),
            Contact("cid@example.com", firstName: "Cid", answers: [answer("garden")]),
            Contact("Dora@Example.com", firstName: "Dora", answers: [answer("kids")]),
            Contact("eve@nowhere", firstName: "Eve"),
        };

        var results = await Connector.UpsertAsync(Target(Map(CrmSources.FirstName, "firstname"), Map(CrmSources.Question("department"), "favorite_department")), contacts, CancellationToken.None);

        results.Count.ShouldBe(5);
        results[0].Kind.ShouldBe(CrmResultKind.Done);
        results[0].RecordId.ShouldBe(hubSpot.Contact("ann@example.com")!.Id);
        results[1].Kind.ShouldBe(CrmResultKind.Refused);
        results[1].Reason.ShouldNotBeNull().ShouldContain("email");
        results[2].Kind.ShouldBe(CrmResultKind.Refused);
        results[2].Reason.ShouldNotBeNull().ShouldContain("favorite_department");
        results[2].Reason!.ShouldContain("INVALID_OPTION");
        results[3].Kind.ShouldBe(CrmResultKind.Done);
        results[3].RecordId.ShouldBe(hubSpot.Contact("dora@example.com")!.Id);
        results[3].RecordId.ShouldNotBe(results[0].RecordId);
        results[4].Kind.ShouldBe(CrmResultKind.Refused);
        results[4].Reason.ShouldNotBeNull().ShouldContain("email: INVALID_EMAIL");
        results[4].Reason!.ShouldNotContain("eve@nowhere");
        hubSpot.Contacts.Select(c => c.Email).Order().ShouldBe(["ann@example.com", "dora@example.com"]);
        hubSpot.Contact("dora@example.com")!["favorite_department"].ShouldBe("kids");
    }

    [Fact]
    public async Task A_push_that_runs_twice_makes_one_contact()
    {
        var first = await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None);
        var second = await Connector.UpsertAsync(Target(), [Contact(" ANN@example.com ", firstName: "Anna")], CancellationToken.None);

        first[0].Kind.ShouldBe(CrmResultKind.Done);
        second[0].RecordId.ShouldBe(first[0].RecordId);
        var contact = hubSpot.Contacts.ShouldHaveSingleItem();
        contact.Writes.ShouldBe(2);
        contact["firstname"].ShouldBe("Anna");
    }

    [Fact]
    public async Task The_same_address_twice_in_one_batch_is_one_input_and_both_get_its_record()
    {
        var results = await Connector.UpsertAsync(Target(), [Contact("ann@example.com"), Contact("Ann@Example.com", firstName: "Anna")], CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.Done);
        results[1].RecordId.ShouldBe(results[0].RecordId);
        hubSpot.Contacts.ShouldHaveSingleItem()["firstname"].ShouldBe("Anna");
    }

    [Fact]
    public async Task Without_a_mapping_the_details_go_to_HubSpots_own_properties()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", birthday: new(3, 5, 1990), emailConsent: Given)], CancellationToken.None);

        var contact = hubSpot.Contact("ann@example.com")!;
        contact["firstname"].ShouldBe("Ann");
        contact["lastname"].ShouldBe("Peeters");
        contact["phone"].ShouldBe("+32470123456");
        contact["zip"].ShouldBe("9000");
        contact["date_of_birth"].ShouldBeNull();
        contact["hs_email_optout"].ShouldBeNull();
    }

    [Fact]
    public async Task A_mapped_birthday_is_a_calendar_day_HubSpot_takes()
    {
        var results = await Connector.UpsertAsync(Target(Map(CrmSources.Birthday, "date_of_birth")), [Contact("ann@example.com", birthday: new(3, 5, 1990)), Contact("bob@example.com", birthday: new(3, 5, null))], CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.Done);
        hubSpot.Contact("ann@example.com")!["date_of_birth"].ShouldBe("1990-05-03");
        hubSpot.Contact("bob@example.com")!["date_of_birth"].ShouldBeNull();
    }

    [Fact]
    public async Task Consent_goes_to_the_mapped_property_and_follows_withdrawal_and_a_new_sign_up()
    {
        hubSpot.AddProperty("shop_email_consent", "bool", "booleancheckbox");
        hubSpot.AddProperty("shop_sms_consent", "bool", "booleancheckbox");
        var target = Target(Map(CrmSources.EmailConsent, "shop_email_consent"), Map(CrmSources.SmsConsent, "shop_sms_consent"));

        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBe("true");
        hubSpot.Contact("ann@example.com")!["shop_sms_consent"].ShouldBeNull();

        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Withdrawn, smsConsent: Withdrawn)], CancellationToken.None);
        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBe("false");
        hubSpot.Contact("ann@example.com")!["shop_sms_consent"].ShouldBe("false");

        var again = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        again[0].Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBe("true");
        hubSpot.Contact("ann@example.com")!["shop_sms_consent"].ShouldBe("false");
    }

    [Fact]
    public async Task A_shopper_who_unsubscribed_in_HubSpot_and_signs_up_again_keeps_HubSpots_opt_out_and_gets_our_consent()
    {
        hubSpot.AddProperty("shop_email_consent", "bool", "booleancheckbox");
        var target = Target(Map(CrmSources.EmailConsent, "shop_email_consent"));
        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        hubSpot.Unsubscribe("ann@example.com");

        var again = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        again[0].Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBe("true");
        hubSpot.Contact("ann@example.com")!["hs_email_optout"].ShouldBe("true");
        hubSpot.Requests.ShouldAllBe(r => !r.Body.Contains("hs_email_optout"));
    }

    [Fact]
    public async Task With_a_subscription_type_chosen_consent_given_subscribes_with_consent_with_notice()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");

        var results = await Connector.UpsertAsync(TargetWithType(type), [Contact("Ann@example.com", emailConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Done);
        results[0].RecordId.ShouldBe(hubSpot.Contact("ann@example.com")!.Id);
        var status = hubSpot.SubscriptionStatus("ann@example.com", type).ShouldNotBeNull();
        status.Status.ShouldBe("SUBSCRIBED");
        status.LegalBasis.ShouldBe("CONSENT_WITH_NOTICE");
        status.LegalBasisExplanation.ShouldNotBeNull().ShouldContain("v1");
        var call = hubSpot.Requests[^1];
        call.PathAndQuery.ShouldBe("/communication-preferences/v4/statuses/ann@example.com");
        call.Header("Authorization").ShouldBe("Bearer " + hubSpot.Token);
        call.Body.ShouldNotContain("Peeters");
        call.Body.ShouldNotContain("@");
    }

    [Fact]
    public async Task With_a_subscription_type_withdrawn_consent_writes_HubSpots_own_opt_out_and_the_mapped_property()
    {
        hubSpot.AddProperty("shop_email_consent", "bool", "booleancheckbox");
        var type = hubSpot.AddSubscriptionType("Newsletter");
        var target = TargetWithType(type, Map(CrmSources.EmailConsent, "shop_email_consent"));
        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        var withdrawn = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Withdrawn)], CancellationToken.None);

        withdrawn[0].Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.SubscriptionStatus("ann@example.com", type)!.Status.ShouldBe("NOT_SUBSCRIBED");
        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBe("false");
    }

    [Fact]
    public async Task With_a_subscription_type_a_shopper_who_unsubscribed_in_HubSpot_and_signs_up_again_is_subscribed_again()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");
        await Connector.UpsertAsync(TargetWithType(type), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        hubSpot.UnsubscribeFromType("ann@example.com", type);

        var again = await Connector.UpsertAsync(TargetWithType(type), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        again[0].Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.SubscriptionStatus("ann@example.com", type)!.Status.ShouldBe("SUBSCRIBED");
    }

    [Fact]
    public async Task With_a_subscription_type_consent_never_given_leaves_HubSpots_status_alone()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");

        await Connector.UpsertAsync(TargetWithType(type), [Contact("ann@example.com")], CancellationToken.None);

        hubSpot.SubscriptionStatus("ann@example.com", type).ShouldBeNull();
        hubSpot.Requests.ShouldAllBe(r => !r.PathAndQuery.StartsWith("/communication-preferences", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_subscription_type_no_communication_preferences_call_is_made()
    {
        hubSpot.AddSubscriptionType("Newsletter");

        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com", emailConsent: Withdrawn)], CancellationToken.None);

        hubSpot.Requests.Select(r => r.PathAndQuery).ShouldBe(["/crm/v3/objects/contacts/batch/upsert"]);
    }

    [Fact]
    public async Task A_subscription_type_that_no_longer_exists_fails_that_push_with_HubSpots_reason()
    {
        var results = await Connector.UpsertAsync(TargetWithType("7999"), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com")], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Refused);
        results[0].Reason.ShouldNotBeNull().ShouldContain("The contact was saved, but setting its HubSpot subscription to SUBSCRIBED failed");
        results[0].Reason!.ShouldContain("7999");
        results[0].Reason!.ShouldNotContain("ann@example.com");
        results[1].Kind.ShouldBe(CrmResultKind.Done);
    }

    [Fact]
    public async Task A_throttled_status_update_is_try_later_and_stops_the_rest()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");
        var target = TargetWithType(type);
        await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None);
        var before = hubSpot.Requests.Count;

        // The upsert goes through; the first status update is throttled.
        var results = await ThrottledAfterUpsertAsync(target, [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com", emailConsent: Given)]);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.TryLater);
        hubSpot.Requests.Count.ShouldBe(before + 2);
    }

    [Fact]
    public async Task A_subscription_type_id_with_odd_characters_is_refused_before_any_call()
    {
        var results = await Connector.UpsertAsync(TargetWithType("12; DROP"), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Refused);
        Connector.Check(new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = "pat", [HubSpotConnector.SubscriptionSetting] = "abc" })
            .ShouldHaveSingleItem().ShouldBe(new CrmSettingError(HubSpotConnector.SubscriptionSetting, CrmSettingProblem.Malformed));
        hubSpot.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_catalog_offers_the_active_subscription_types_that_are_not_internal()
    {
        var newsletter = hubSpot.AddSubscriptionType("Newsletter");
        hubSpot.AddSubscriptionType("One to one", isInternal: true);
        hubSpot.AddSubscriptionType("Old promotions", isActive: false);

        var catalog = await Connector.ListCatalogAsync(Target(), CancellationToken.None);

        catalog.Catalog.ShouldNotBeNull().Lists.ShouldBe([new CrmList(newsletter, "Newsletter", null)]);
        Connector.Info.HasLists.ShouldBeTrue();
        Connector.Info.Settings.Single(s => s.Key == HubSpotConnector.SubscriptionSetting).Required.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"statusState":"SUBSCRIBED","subscriptionId":7001,"legalBasis":"CONSENT_WITH_NOTICE","legalBasisExplanation":"x"}""", "required attributes are not set")]
    [InlineData("""{"channel":"EMAIL","statusState":"SUBSCRIBED","subscriptionId":"7001","legalBasis":"CONSENT_WITH_NOTICE","legalBasisExplanation":"x"}""", "must be an integer")]
    [InlineData("""{"channel":"EMAIL","statusState":"YES","subscriptionId":7001,"legalBasis":"CONSENT_WITH_NOTICE","legalBasisExplanation":"x"}""", "statusState")]
    [InlineData("""{"channel":"EMAIL","statusState":"SUBSCRIBED","subscriptionId":7001,"legalBasis":"BECAUSE","legalBasisExplanation":"x"}""", "not a valid legal basis")]
    [InlineData("""{"channel":"EMAIL","statusState":"SUBSCRIBED","subscriptionId":7001}""", "legal basis and its explanation are required")]
    public async Task The_fake_refuses_a_status_update_of_the_wrong_shape_as_HubSpot_does(string body, string expected)
    {
        hubSpot.AddSubscriptionType("Newsletter");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, hubSpot.BaseUrl + "/communication-preferences/v4/statuses/ann%40example.com");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + hubSpot.Token);
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).ShouldBe(400);
        text.ShouldContain(expected);
        text.ShouldContain("\"category\":\"VALIDATION_ERROR\"");
        text.ShouldContain("correlationId");
        hubSpot.SubscriptionStatus("ann@example.com", "7001").ShouldBeNull();
    }

    [Fact]
    public async Task The_fake_refuses_a_status_update_without_the_token()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");
        using var client = new HttpClient();
        var body = $$"""{"channel":"EMAIL","statusState":"SUBSCRIBED","subscriptionId":{{type}},"legalBasis":"CONSENT_WITH_NOTICE","legalBasisExplanation":"x"}""";

        using var response = await client.PostAsync(hubSpot.BaseUrl + "/communication-preferences/v4/statuses/bob%40example.com", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(401);
        hubSpot.SubscriptionStatus("bob@example.com", type).ShouldBeNull();
        (await response.Content.ReadAsStringAsync()).ShouldContain("INVALID_AUTHENTICATION");
    }

    [Fact]
    public async Task Consent_never_given_leaves_the_property_alone()
    {
        hubSpot.AddProperty("shop_email_consent", "bool", "booleancheckbox");

        await Connector.UpsertAsync(Target(Map(CrmSources.EmailConsent, "shop_email_consent")), [Contact("ann@example.com")], CancellationToken.None);

        hubSpot.Contact("ann@example.com")!["shop_email_consent"].ShouldBeNull();
        hubSpot.Requests[^1].Body.ShouldNotContain("shop_email_consent");
    }

    [Fact]
    public async Task A_wrong_token_is_bad_credentials_and_the_reason_does_not_repeat_it()
    {
        var target = TargetWith("pat-na1-wrong-0000-0000-0000-000000000000");

        var test = await Connector.TestAsync(target, CancellationToken.None);
        var upsert = await Connector.UpsertAsync(target, [Contact("ann@example.com"), Contact("bob@example.com")], CancellationToken.None);

        test.Kind.ShouldBe(CrmResultKind.BadCredentials);
        test.Reason.ShouldNotBeNull().ShouldContain("401");
        upsert.ShouldAllBe(r => r.Kind == CrmResultKind.BadCredentials);
        new[] { test, upsert[0], upsert[1] }.ShouldAllBe(r => !r.Reason!.Contains("wrong"));
        hubSpot.Contacts.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_refusal_keeps_its_parts_so_the_admin_words_our_framing_in_dutch_and_quotes_hubspot_as_it_said_it()
    {
        var target = TargetWith("pat-na1-wrong-0000-0000-0000-000000000000");

        var result = (await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None))[0];

        var problem = result.Problem.ShouldNotBeNull();
        problem.Code.ShouldBe(CrmProblems.Answered);
        problem.Crm.ShouldBe(HubSpotConnector.Kind);
        problem.Status.ShouldBe(401);
        var said = problem.CrmText.ShouldNotBeNull();
        said.ShouldNotContain("HubSpot answered");
        result.Reason.ShouldBe(CrmProblemText.English(problem));
        result.Reason.ShouldStartWith("HubSpot answered 401 ");
        result.Reason.ShouldEndWith(": " + said);
        var dutch = CrmProblemText.Describe(problem, System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));
        dutch.ShouldStartWith("HubSpot antwoordde 401 ");
        dutch.ShouldEndWith(": " + said, Case.Sensitive, "the CRM's own words stay as they came");
    }

    [Fact]
    public async Task An_opted_out_contact_is_pushed_with_a_note_that_the_consent_was_not_applied()
    {
        var type = hubSpot.AddSubscriptionType("Newsletter");
        await Connector.UpsertAsync(TargetWithType(type), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        hubSpot.Unsubscribe("ann@example.com");

        var results = await Connector.UpsertAsync(TargetWithType(type), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com", emailConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Done);
        results[0].EmailOptedOut.ShouldBeTrue();
        results[1].Kind.ShouldBe(CrmResultKind.Done);
        results[1].EmailOptedOut.ShouldBeFalse("bob was never opted out, and is subscribed");
        hubSpot.SubscriptionStatus("bob@example.com", type)!.Status.ShouldBe("SUBSCRIBED");
    }

    [Fact]
    public async Task The_right_token_passes_the_connection_test_with_one_authenticated_call()
    {
        var result = await Connector.TestAsync(Target(), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        var request = hubSpot.Requests.ShouldHaveSingleItem();
        request.Header("Authorization").ShouldBe("Bearer " + hubSpot.Token);
    }

    [Fact]
    public async Task Too_many_requests_is_try_later_honouring_retry_after()
    {
        hubSpot.RetryAfterSeconds = 7;
        hubSpot.FailNext(HttpFault.TooManyRequests);

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        result.Reason.ShouldNotBeNull().ShouldContain("429");
    }

    [Fact]
    public async Task Too_many_requests_without_retry_after_is_try_later_with_the_usual_back_off()
    {
        hubSpot.RateLimitedCalls = 1;

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.RetryAfter.ShouldBeNull();
        result.Reason.ShouldNotBeNull().ShouldContain("ten_secondly_rolling limit");
    }

    [Theory]
    [InlineData(HttpFault.ServerError, "500")]
    [InlineData(HttpFault.Unavailable, "503")]
    [InlineData(HttpFault.Html, "HTML")]
    [InlineData(HttpFault.HugeBody, "more than 256 KB")]
    public async Task A_failing_or_nonsense_answer_is_try_later_with_a_clear_reason(HttpFault fault, string expected)
    {
        hubSpot.FailNext(fault);

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain(expected);
        result.Reason.ShouldNotContain("ann@example.com");
    }

    [Fact]
    public async Task No_answer_in_time_is_try_later()
    {
        await using var quick = Services(hubSpot.BaseUrl, timeoutSeconds: 1);
        hubSpot.FailNext(HttpFault.Timeout);

        var result = (await quick.GetRequiredService<HubSpotConnector>().UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain("no answer within 1 s");
    }

    [Fact]
    public async Task A_mapped_property_HubSpot_no_longer_has_is_refused_naming_it()
    {
        hubSpot.AddProperty("favorite_store");
        var target = Target(Map(CrmSources.Store, "favorite_store"));
        (await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None))[0].Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.ArchiveProperty("favorite_store");

        var result = (await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldNotBeNull().ShouldContain("favorite_store: PROPERTY_DOESNT_EXIST");
        result.Reason.ShouldContain("400");
    }

    [Fact]
    public async Task A_read_only_property_is_refused_naming_it()
    {
        var result = (await Connector.UpsertAsync(Target(Map(CrmSources.EmailConsent, "hs_email_optout")), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldNotBeNull().ShouldContain("hs_email_optout: READ_ONLY_VALUE");
    }

    [Fact]
    public async Task No_reason_repeats_the_shoppers_details_even_when_HubSpot_does()
    {
        // HubSpot quotes a refused value in its message: here the phone number and the email.
        var result = (await Connector.UpsertAsync(Target(Map(CrmSources.Phone, "hs_language")), [Contact("ann@example.com", phone: "+32 470 12 34 56")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldNotBeNull().ShouldContain("hs_language");
        result.Reason.ShouldNotContain("470");
        result.Reason.ShouldNotContain("ann@example.com");
        result.Reason.ShouldNotContain(hubSpot.Token);
    }

    [Theory]
    [InlineData("pat-\"quoted\"")]
    [InlineData("pat-na1-ünïcödé")]
    [InlineData("pat-na1-line\nbreak")]
    [InlineData("pat-na1-line\r\nX-Injected: yes")]
    [InlineData("pat na1 spaces")]
    [InlineData("   ")]
    public async Task Odd_characters_in_the_token_are_bad_credentials_not_a_crash(string token)
    {
        var target = TargetWith(token);

        var test = await Connector.TestAsync(target, CancellationToken.None);
        var upsert = (await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None)).Single();
        var catalog = await Connector.ListCatalogAsync(target, CancellationToken.None);

        test.Kind.ShouldBe(CrmResultKind.BadCredentials);
        upsert.Kind.ShouldBe(CrmResultKind.BadCredentials);
        catalog.Result.Kind.ShouldBe(CrmResultKind.BadCredentials);
        hubSpot.Requests.ShouldAllBe(r => !r.Headers.ContainsKey("X-Injected"));
        if (token.Trim().Length > 3)
        {
            test.Reason.ShouldNotBeNull().ShouldNotContain(token.Trim());
        }
    }

    [Fact]
    public async Task A_merge_folds_the_absorbed_record_into_the_survivor_by_record_ids_and_returns_the_new_id()
    {
        var pushed = await Connector.UpsertAsync(Target(), [Contact("ann@example.com"), Contact("ann.peeters@example.com")], CancellationToken.None);
        var survivor = Contact("ann@example.com", recordId: pushed[0].RecordId);
        var absorbed = new CrmMergedContact(Guid.NewGuid(), "ann.peeters@example.com", pushed[1].RecordId);

        var result = await Connector.MergeAsync(Target(), new CrmMerge(survivor, [absorbed]), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        var merge = hubSpot.Merges.ShouldHaveSingleItem();
        merge.PrimaryObjectId.ShouldBe(pushed[0].RecordId);
        merge.ObjectIdToMerge.ShouldBe(pushed[1].RecordId);
        result.RecordId.ShouldBe(merge.NewId);
        hubSpot.Contacts.ShouldHaveSingleItem().Id.ShouldBe(merge.NewId);

        var again = await Connector.MergeAsync(Target(), new CrmMerge(survivor, [absorbed]), CancellationToken.None);
        again.Kind.ShouldBe(CrmResultKind.Done);
        again.RecordId.ShouldBe(merge.NewId);
        hubSpot.Merges.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_merge_finds_records_it_has_no_id_for_by_email_and_skips_contacts_never_pushed()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann.peeters@example.com")], CancellationToken.None);
        var survivor = Contact("ann@example.com");
        var absorbed = new[] { new CrmMergedContact(Guid.NewGuid(), "ann.peeters@example.com", null), new CrmMergedContact(Guid.NewGuid(), "never@example.com", null) };

        var result = await Connector.MergeAsync(Target(), new CrmMerge(survivor, absorbed), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.Merges.ShouldHaveSingleItem().NewId.ShouldBe(result.RecordId);
        hubSpot.Contacts.ShouldHaveSingleItem()["hs_object_id"].ShouldBe(result.RecordId);
    }

    [Fact]
    public async Task Erasing_deletes_the_contact_for_good_by_email()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com"), Contact("bob@example.com")], CancellationToken.None);

        var result = await Connector.EraseAsync(Target(), new CrmErasure(Guid.NewGuid(), "Ann@example.com", null, null), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        hubSpot.Erased.ShouldBe(["ann@example.com"]);
        hubSpot.Contact("ann@example.com").ShouldBeNull();
        hubSpot.Contact("bob@example.com").ShouldNotBeNull();
        hubSpot.IsBlocked("ann@example.com").ShouldBeTrue();
    }

    [Fact]
    public async Task The_catalog_lists_the_properties_to_map_to_without_hidden_ones_and_marks_read_only_ones()
    {
        hubSpot.AddProperty("favorite_store", "enumeration", "select", ["gent", "brugge"]);
        hubSpot.AddProperty("old_field");
        hubSpot.ArchiveProperty("old_field");

        var catalog = await Connector.ListCatalogAsync(Target(), CancellationToken.None);

        catalog.Result.Kind.ShouldBe(CrmResultKind.Done);
        var fields = catalog.Catalog.ShouldNotBeNull().Fields;
        fields.ShouldContain(new CrmField("firstname", "First Name", "string"));
        fields.ShouldContain(new CrmField("favorite_store", "favorite_store", "enumeration"));
        fields.Single(f => f.Key == "hs_object_id").ReadOnly.ShouldBeTrue();
        fields.ShouldNotContain(f => f.Key == "hs_all_contact_vids" || f.Key == "old_field");
        catalog.Catalog.Lists.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_catalog_answered_with_html_is_try_later()
    {
        hubSpot.FailNext(HttpFault.Html);

        var catalog = await Connector.ListCatalogAsync(Target(), CancellationToken.None);

        catalog.Result.Kind.ShouldBe(CrmResultKind.TryLater);
        catalog.Catalog.ShouldBeNull();
    }

    [Fact]
    public async Task A_HubSpot_that_is_down_is_try_later()
    {
        await hubSpot.StopAsync();

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain("did not answer");
    }

    [Fact]
    public async Task A_large_batch_goes_in_calls_of_at_most_100_contacts()
    {
        var contacts = Enumerable.Range(1, 150).Select(i => Contact($"shopper{i}@example.com")).ToList();

        var results = await Connector.UpsertAsync(Target(), contacts, CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.Done);
        results.Select(r => r.RecordId).Distinct().Count().ShouldBe(150);
        results[149].RecordId.ShouldBe(hubSpot.Contact("shopper150@example.com")!.Id);
        hubSpot.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public void The_connector_describes_itself_as_hubspot()
    {
        var info = Connector.Info;

        info.Kind.ShouldBe("hubspot");
        info.MaxBatchSize.ShouldBe(100);
        info.CanMerge.ShouldBeTrue();
        info.CanErase.ShouldBeTrue();
        info.Settings.ShouldBe([new CrmSettingField("token", CrmSettingKind.Token, Required: true, Secret: true), new CrmSettingField("subscriptionId", CrmSettingKind.List, Required: false)]);
        info.HasLists.ShouldBeTrue();
    }

    internal static ServiceProvider Services(string baseUrl, int timeoutSeconds)
    {
        var services = new ServiceCollection();
        services.AddOptions<CrmOptions>().Configure(o =>
        {
            o.HubSpotBaseUrl = baseUrl;
            o.TimeoutSeconds = timeoutSeconds;
        });
        services.AddCrmConnector<HubSpotConnector>(HubSpotConnector.Kind);
        return services.BuildServiceProvider();
    }

    private static CrmFieldMapping Map(string source, string target) => new(source, target);

    private CrmTarget TargetWithType(string subscriptionId, params CrmFieldMapping[] mapping) =>
        CrmTestContacts.Target(new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = hubSpot.Token, [HubSpotConnector.SubscriptionSetting] = subscriptionId }, mapping);

    /// <summary>Upserts with the fake answering the call after the batch upsert with HubSpot's 429.</summary>
    private async Task<IReadOnlyList<CrmResult>> ThrottledAfterUpsertAsync(CrmTarget target, IReadOnlyList<CrmContact> contacts)
    {
        hubSpot.RateLimitAfter = 1;
        return await Connector.UpsertAsync(target, contacts, CancellationToken.None);
    }

    private static CrmTarget TargetWith(string token, params CrmFieldMapping[] mapping) =>
        CrmTestContacts.Target(new Dictionary<string, string> { [HubSpotConnector.TokenSetting] = token }, mapping);
}
