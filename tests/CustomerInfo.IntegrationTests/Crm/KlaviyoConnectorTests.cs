using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using CustomerInfo.TestSupport.Crm;
using Microsoft.Extensions.DependencyInjection;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.IntegrationTests.Crm;

/// <summary>The Klaviyo connector against <see cref="FakeKlaviyo"/> over real HTTP on loopback.</summary>
public sealed class KlaviyoConnectorTests : IAsyncLifetime
{
    private FakeKlaviyo klaviyo = null!;
    private ServiceProvider services = null!;

    private KlaviyoConnector Connector => services.GetRequiredService<KlaviyoConnector>();

    public async Task InitializeAsync()
    {
        klaviyo = await FakeKlaviyo.StartNewAsync();
        services = Services(klaviyo.BaseUrl, timeoutSeconds: 5);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await klaviyo.DisposeAsync();
    }

    [Fact]
    public async Task A_push_that_runs_twice_makes_one_profile()
    {
        var first = await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None);
        var second = await Connector.UpsertAsync(Target(), [Contact("Ann@Example.com ", firstName: "Anna")], CancellationToken.None);

        first[0].Kind.ShouldBe(CrmResultKind.Done);
        second[0].RecordId.ShouldBe(first[0].RecordId);
        var profile = klaviyo.Profiles.ShouldHaveSingleItem();
        profile.Id.ShouldBe(first[0].RecordId);
        profile.Imports.ShouldBe(2);
        profile.Attributes["first_name"].ShouldBe("Anna");
    }

    [Fact]
    public async Task Every_call_carries_the_key_the_revision_and_the_json_api_type()
    {
        await Connector.UpsertAsync(Target(ListWithNewsletter()), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        klaviyo.Requests.Count.ShouldBe(2);
        klaviyo.Requests.ShouldAllBe(r => r.Header("Authorization") == "Klaviyo-API-Key " + klaviyo.ApiKey && r.Header("revision") == "2026-07-15");
        klaviyo.Requests.ShouldAllBe(r => r.Header("Content-Type")!.StartsWith("application/vnd.api+json", StringComparison.Ordinal));
        klaviyo.Requests.Select(r => r.PathAndQuery).ShouldBe(["/api/profile-import", "/api/profile-subscription-bulk-create-jobs"]);
    }

    [Fact]
    public async Task Without_a_mapping_the_details_go_to_Klaviyos_own_attributes()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", phone: "+32 470 12.34.56")], CancellationToken.None);

        var profile = klaviyo.Profile("ann@example.com")!;
        profile.Attributes["first_name"].ShouldBe("Ann");
        profile.Attributes["last_name"].ShouldBe("Peeters");
        profile.Attributes["phone_number"].ShouldBe("+32470123456");
        profile.Location["zip"].ShouldBe("9000");
        profile.Properties.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_batch_with_mixed_contacts_gives_each_contact_its_own_outcome()
    {
        var contacts = new[]
        {
            Contact("ann@example.com"),
            Contact(null, firstName: "Bob"),
            Contact("cid@", firstName: "Cid"),
            Contact("dora@example.com", firstName: "Dora", phone: "0470"),
        };

        var results = await Connector.UpsertAsync(Target(null, Map(CrmSources.FirstName, "first_name"), Map(CrmSources.Phone, "phone_number"), Map(CrmSources.Store, "properties.store")), contacts, CancellationToken.None);

        results.Select(r => r.Kind).ShouldBe([CrmResultKind.Done, CrmResultKind.Refused, CrmResultKind.Refused, CrmResultKind.Done]);
        results[1].Reason.ShouldNotBeNull().ShouldContain("email");
        results[2].Reason.ShouldNotBeNull().ShouldContain("400");
        results[2].Reason!.ShouldContain("Invalid email address");
        results[2].Reason!.ShouldNotContain("cid@");
        results[3].RecordId.ShouldBe(klaviyo.Profile("dora@example.com")!.Id);
        klaviyo.Profile("dora@example.com")!.Attributes.ShouldNotContainKey("phone_number");
        klaviyo.Profile("ann@example.com")!.Properties["store"].ShouldBe("Gent");
    }

    [Fact]
    public async Task Current_email_consent_subscribes_to_the_chosen_list_in_one_job_per_batch()
    {
        var list = ListWithNewsletter();

        var results = await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com"), Contact("cid@example.com", emailConsent: Given)], CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.Done);
        var job = klaviyo.SubscriptionJobs.ShouldHaveSingleItem();
        job.ListId.ShouldBe(list);
        job.Emails.ShouldBe(["ann@example.com", "cid@example.com"]);
        klaviyo.Profile("ann@example.com")!.Consent.ShouldBe("SUBSCRIBED");
        klaviyo.Profile("ann@example.com")!.Lists.ShouldBe([list]);
        klaviyo.Profile("bob@example.com")!.Consent.ShouldBe("NEVER_SUBSCRIBED");
    }

    [Fact]
    public async Task Without_a_chosen_list_nobody_is_subscribed()
    {
        ListWithNewsletter();

        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        klaviyo.SubscriptionJobs.ShouldBeEmpty();
        klaviyo.Profile("ann@example.com")!.Consent.ShouldBe("NEVER_SUBSCRIBED");
    }

    [Fact]
    public async Task Withdrawn_email_consent_unsubscribes_the_address_and_reaches_the_mapped_property()
    {
        var list = ListWithNewsletter();
        var target = Target(list, Map(CrmSources.EmailConsent, "properties.email_consent"));

        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        var withdrawn = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Withdrawn)], CancellationToken.None);

        withdrawn[0].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.SubscriptionJobs.Count.ShouldBe(1);
        var job = klaviyo.UnsubscriptionJobs.ShouldHaveSingleItem();
        job.ListId.ShouldBeNull();
        job.Email.ShouldBe(["ann@example.com"]);
        job.Sms.ShouldBeEmpty();
        var profile = klaviyo.Profile("ann@example.com")!;
        profile.Consent.ShouldBe("UNSUBSCRIBED");
        profile.Lists.ShouldBeEmpty();
        profile.Properties["email_consent"].ShouldBe("false");
        klaviyo.Requests.Select(r => r.PathAndQuery).Last().ShouldBe("/api/profile-subscription-bulk-delete-jobs");
    }

    [Fact]
    public async Task Withdrawn_consent_unsubscribes_even_without_a_chosen_list()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", emailConsent: Withdrawn)], CancellationToken.None);

        klaviyo.SubscriptionJobs.ShouldBeEmpty();
        klaviyo.UnsubscriptionJobs.ShouldHaveSingleItem().Email.ShouldBe(["ann@example.com"]);
        klaviyo.Profile("ann@example.com")!.Consent.ShouldBe("UNSUBSCRIBED");
    }

    [Fact]
    public async Task Consent_never_given_neither_subscribes_nor_unsubscribes()
    {
        var list = ListWithNewsletter();

        await Connector.UpsertAsync(Target(list), [Contact("ann@example.com")], CancellationToken.None);

        klaviyo.SubscriptionJobs.ShouldBeEmpty();
        klaviyo.UnsubscriptionJobs.ShouldBeEmpty();
        klaviyo.Requests.Select(r => r.PathAndQuery).ShouldBe(["/api/profile-import"]);
    }

    [Fact]
    public async Task A_shopper_who_unsubscribed_and_signs_up_again_with_consent_is_subscribed_again()
    {
        var list = ListWithNewsletter();
        var target = Target(list, Map(CrmSources.EmailConsent, "properties.email_consent"));
        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);
        klaviyo.Unsubscribe("ann@example.com");

        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Withdrawn)], CancellationToken.None);
        klaviyo.Profile("ann@example.com")!.Consent.ShouldBe("UNSUBSCRIBED");
        klaviyo.SubscriptionJobs.Count.ShouldBe(1);
        klaviyo.UnsubscriptionJobs.Count.ShouldBe(1);

        var again = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        again[0].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.SubscriptionJobs.Count.ShouldBe(2);
        klaviyo.UnsubscriptionJobs.Count.ShouldBe(1);
        var profile = klaviyo.Profile("ann@example.com")!;
        profile.Consent.ShouldBe("SUBSCRIBED");
        profile.Suppressed.ShouldBeFalse();
        profile.Lists.ShouldBe([list]);
        profile.Properties["email_consent"].ShouldBe("true");
    }

    [Fact]
    public async Task Sms_consent_with_a_phone_number_subscribes_the_number_in_a_job_of_its_own()
    {
        var list = ListWithNewsletter();

        var results = await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", phone: "+32 470 12 34 56", emailConsent: Given, smsConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.SubscriptionJobs.Count.ShouldBe(2);
        klaviyo.SubscriptionJobs[0].Emails.ShouldBe(["ann@example.com"]);
        klaviyo.SubscriptionJobs[0].SmsNumbers.ShouldBeEmpty();
        klaviyo.SubscriptionJobs[1].Emails.ShouldBeEmpty();
        klaviyo.SubscriptionJobs[1].SmsNumbers.ShouldBe(["+32470123456"]);
        var profile = klaviyo.Profile("ann@example.com")!;
        profile.SmsConsent.ShouldBe("SUBSCRIBED");
        profile.Consent.ShouldBe("SUBSCRIBED");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0470")]
    [InlineData("12345")]
    public async Task Sms_consent_without_a_usable_phone_number_subscribes_no_sms(string? phone)
    {
        var list = ListWithNewsletter();

        var results = await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", phone: phone, smsConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.SubscriptionJobs.ShouldBeEmpty();
        klaviyo.Profile("ann@example.com")!.SmsConsent.ShouldBe("NEVER_SUBSCRIBED");
    }

    [Fact]
    public async Task Withdrawn_sms_consent_unsubscribes_the_number_and_leaves_email_alone()
    {
        var list = ListWithNewsletter();
        var target = Target(list);
        await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given, smsConsent: Given)], CancellationToken.None);

        var results = await Connector.UpsertAsync(target, [Contact("ann@example.com", emailConsent: Given, smsConsent: Withdrawn)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Done);
        var job = klaviyo.UnsubscriptionJobs.ShouldHaveSingleItem();
        job.Email.ShouldBeEmpty();
        job.Sms.ShouldBe(["+32470123456"]);
        var profile = klaviyo.Profile("ann@example.com")!;
        profile.SmsConsent.ShouldBe("UNSUBSCRIBED");
        profile.Consent.ShouldBe("SUBSCRIBED");
        profile.Lists.ShouldBe([list]);
    }

    [Fact]
    public async Task Withdrawn_sms_consent_without_a_phone_number_sends_no_unsubscribe()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com", phone: null, smsConsent: Withdrawn)], CancellationToken.None);

        klaviyo.UnsubscriptionJobs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Both_consents_withdrawn_go_in_one_unsubscribe_for_the_profile()
    {
        var contacts = new[]
        {
            Contact("ann@example.com", emailConsent: Withdrawn, smsConsent: Withdrawn),
            Contact("bob@example.com", phone: "+32470999888", emailConsent: Withdrawn),
        };

        var results = await Connector.UpsertAsync(Target(), contacts, CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.Done);
        var job = klaviyo.UnsubscriptionJobs.ShouldHaveSingleItem();
        job.Email.ShouldBe(["ann@example.com", "bob@example.com"]);
        job.Sms.ShouldBe(["+32470123456"]);
        klaviyo.Profile("ann@example.com")!.SmsConsent.ShouldBe("UNSUBSCRIBED");
        klaviyo.Profile("bob@example.com")!.SmsConsent.ShouldBe("NEVER_SUBSCRIBED");
    }

    [Fact]
    public async Task An_account_without_sms_still_subscribes_email_and_says_why_sms_failed()
    {
        var list = ListWithNewsletter();
        klaviyo.SmsEnabled = false;

        var results = await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", emailConsent: Given, smsConsent: Given), Contact("bob@example.com", emailConsent: Given)], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Refused);
        results[0].Reason.ShouldNotBeNull().ShouldContain("subscribing its phone number to SMS failed");
        results[0].Reason!.ShouldContain("SMS is not set up");
        results[1].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Profile("ann@example.com")!.Consent.ShouldBe("SUBSCRIBED");
        klaviyo.Profile("bob@example.com")!.Consent.ShouldBe("SUBSCRIBED");
    }

    [Fact]
    public async Task An_unsubscribe_that_fails_for_a_while_is_try_later_for_that_contact_only()
    {
        klaviyo.UnsubscriptionsDown = true;

        var results = await Connector.UpsertAsync(Target(), [Contact("ann@example.com", emailConsent: Withdrawn), Contact("bob@example.com")], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.TryLater);
        results[0].Reason.ShouldNotBeNull().ShouldContain("unsubscribing it after the shopper withdrew consent failed");
        results[0].Reason!.ShouldNotContain("ann@example.com");
        results[1].Kind.ShouldBe(CrmResultKind.Done);
    }

    [Theory]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com"}}]}}}}""", "attributes.subscriptions")]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED"}}}}}]}}}}""", "UNSUBSCRIBED")]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"subscriptions":{"email":{"marketing":{"consent":"UNSUBSCRIBED"}}}}}]}}}}""", "Either email or phone_number")]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"phone_number":"0470","subscriptions":{"sms":{"marketing":{"consent":"UNSUBSCRIBED"}}}}}]}}}}""", "Invalid phone number")]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"profiles":{"data":[]}}}}""", "profile-subscription-bulk-delete-job")]
    [InlineData("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[]}}}}""", "between 1 and 100")]
    public async Task The_fake_refuses_an_unsubscribe_of_the_wrong_shape_as_Klaviyo_does(string body, string expected)
    {
        var response = await PostAsync("/api/profile-subscription-bulk-delete-jobs", body, klaviyo.ApiKey);

        response.Status.ShouldBe(400);
        response.Body.ShouldContain(expected);
        response.Body.ShouldContain("\"errors\"");
        response.Body.ShouldContain("\"code\"");
        klaviyo.UnsubscriptionJobs.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"email":{"marketing":{"consent":"UNSUBSCRIBED"}}}""", "SUBSCRIBED")]
    [InlineData("""{"sms":{"marketing":{"consent":"SUBSCRIBED"}}}""", "phone_number in E.164")]
    [InlineData("""{"fax":{"marketing":{"consent":"SUBSCRIBED"}}}""", "is not a valid field for the resource")]
    [InlineData("{}", "At least one subscription channel")]
    public async Task The_fake_refuses_a_subscribe_of_the_wrong_shape_as_Klaviyo_does(string subscriptions, string expected)
    {
        var body = """{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","subscriptions":"""
            + subscriptions + "}}]}}}}";

        var response = await PostAsync("/api/profile-subscription-bulk-create-jobs", body, klaviyo.ApiKey);

        response.Status.ShouldBe(400);
        response.Body.ShouldContain(expected);
        klaviyo.SubscriptionJobs.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_fake_refuses_an_unsubscribe_without_the_key()
    {
        var body = """{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","subscriptions":{"email":{"marketing":{"consent":"UNSUBSCRIBED"}}}}}]}}}}""";

        var response = await PostAsync("/api/profile-subscription-bulk-delete-jobs", body, "pk_wrong");

        response.Status.ShouldBe(401);
        response.Body.ShouldContain("not_authenticated");
        klaviyo.UnsubscriptionJobs.ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_double_opt_in_list_the_shopper_is_asked_to_confirm_before_being_subscribed()
    {
        var list = klaviyo.AddList("VIP", doubleOptIn: true);

        await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", emailConsent: Given)], CancellationToken.None);

        var pending = klaviyo.Profile("ann@example.com")!;
        pending.ConfirmationsSent.ShouldBe(1);
        pending.Lists.ShouldBeEmpty();
        klaviyo.Confirm("ann@example.com");
        klaviyo.Profile("ann@example.com")!.Lists.ShouldBe([list]);
    }

    [Fact]
    public async Task A_list_that_no_longer_exists_refuses_the_subscription_but_keeps_each_outcome_its_own()
    {
        var results = await Connector.UpsertAsync(Target("Gone01"), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com", emailConsent: Given), Contact("cid@example.com")], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.Refused);
        results[0].Reason.ShouldNotBeNull().ShouldContain("subscribing it to the list failed");
        results[0].Reason!.ShouldContain("Gone01");
        results[1].Kind.ShouldBe(CrmResultKind.Refused);
        results[2].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Profiles.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_wrong_key_is_bad_credentials_and_the_rest_of_the_batch_is_not_tried()
    {
        var target = TargetWith("pk_wrongwrongwrong", null);

        var test = await Connector.TestAsync(target, CancellationToken.None);
        var results = await Connector.UpsertAsync(target, [Contact("ann@example.com"), Contact("bob@example.com"), Contact("cid@example.com")], CancellationToken.None);

        test.Kind.ShouldBe(CrmResultKind.BadCredentials);
        results.ShouldAllBe(r => r.Kind == CrmResultKind.BadCredentials);
        klaviyo.Requests.Count.ShouldBe(2);
        results.ShouldAllBe(r => !r.Reason!.Contains("wrongwrong"));
    }

    [Fact]
    public async Task Too_many_requests_is_try_later_after_retry_after_and_stops_the_batch()
    {
        klaviyo.RetryAfterSeconds = 3;
        klaviyo.FailNext(HttpFault.TooManyRequests);

        var results = await Connector.UpsertAsync(Target(), [Contact("ann@example.com"), Contact("bob@example.com")], CancellationToken.None);

        results.ShouldAllBe(r => r.Kind == CrmResultKind.TryLater && r.RetryAfter == TimeSpan.FromSeconds(3));
        results[0].Reason.ShouldNotBeNull().ShouldContain("429");
        results[0].Reason!.ShouldContain("throttled");
        klaviyo.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(HttpFault.ServerError, "500")]
    [InlineData(HttpFault.Unavailable, "503")]
    [InlineData(HttpFault.Html, "HTML")]
    [InlineData(HttpFault.HugeBody, "more than 256 KB")]
    public async Task A_failing_or_nonsense_answer_is_try_later_with_a_clear_reason(HttpFault fault, string expected)
    {
        klaviyo.FailNext(fault);

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain(expected);
        result.Reason.ShouldNotContain("ann@example.com");
    }

    [Fact]
    public async Task No_answer_in_time_is_try_later()
    {
        await using var quick = Services(klaviyo.BaseUrl, timeoutSeconds: 1);
        klaviyo.FailNext(HttpFault.Timeout);

        var result = (await quick.GetRequiredService<KlaviyoConnector>().UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain("no answer within 1 s");
    }

    [Fact]
    public async Task A_subscription_that_fails_for_a_while_is_try_later_for_the_consented_contacts_only()
    {
        var list = ListWithNewsletter();
        klaviyo.SubscriptionsDown = true;

        var results = await Connector.UpsertAsync(Target(list), [Contact("ann@example.com", emailConsent: Given), Contact("bob@example.com")], CancellationToken.None);

        results[0].Kind.ShouldBe(CrmResultKind.TryLater);
        results[0].Reason.ShouldNotBeNull().ShouldContain("503");
        results[1].Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Profiles.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("pk_\"quoted\"")]
    [InlineData("pk_ünïcödé")]
    [InlineData("pk_line\nbreak")]
    [InlineData("pk_line\r\nX-Injected: yes")]
    [InlineData("  ")]
    public async Task Odd_characters_in_the_key_are_bad_credentials_not_a_crash(string key)
    {
        var target = TargetWith(key, null);

        var test = await Connector.TestAsync(target, CancellationToken.None);
        var upsert = (await Connector.UpsertAsync(target, [Contact("ann@example.com")], CancellationToken.None)).Single();
        var catalog = await Connector.ListCatalogAsync(target, CancellationToken.None);
        var erase = await Connector.EraseAsync(target, new CrmErasure(Guid.NewGuid(), "ann@example.com", null, null), CancellationToken.None);

        new[] { test, upsert, catalog.Result, erase }.ShouldAllBe(r => r.Kind == CrmResultKind.BadCredentials);
        klaviyo.Requests.ShouldAllBe(r => !r.Headers.ContainsKey("X-Injected"));
    }

    [Fact]
    public async Task A_list_id_with_odd_characters_is_refused_before_any_call()
    {
        var result = await Connector.TestAsync(Target("abc/../../x"), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Refused);
        klaviyo.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_connection_test_checks_the_chosen_list()
    {
        var list = ListWithNewsletter();

        (await Connector.TestAsync(Target(list), CancellationToken.None)).Kind.ShouldBe(CrmResultKind.Done);
        (await Connector.TestAsync(Target("Nope01"), CancellationToken.None)).Kind.ShouldBe(CrmResultKind.Refused);
        (await Connector.TestAsync(Target(), CancellationToken.None)).Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Requests.Select(r => r.PathAndQuery).ShouldBe([$"/api/lists/{list}", "/api/lists/Nope01", "/api/lists?page[size]=1"]);
    }

    [Fact]
    public async Task The_catalog_follows_the_list_pages_and_offers_standard_and_custom_fields()
    {
        var ids = Enumerable.Range(1, 23).Select(i => klaviyo.AddList($"List {i}", doubleOptIn: i == 23)).ToList();
        klaviyo.AddProfile("someone@example.com", new Dictionary<string, string> { ["favorite_store"] = "Gent", ["$source"] = "api" });

        var catalog = await Connector.ListCatalogAsync(Target(), CancellationToken.None);

        catalog.Result.Kind.ShouldBe(CrmResultKind.Done);
        var lists = catalog.Catalog.ShouldNotBeNull().Lists;
        lists.Select(l => l.Id).ShouldBe(ids);
        lists[^1].ShouldBe(new CrmList(ids[^1], "List 23", DoubleOptIn: true));
        lists[0].DoubleOptIn.ShouldBe(false);
        catalog.Catalog.Fields.ShouldContain(new CrmField("location.zip", "Zip code", "string"));
        catalog.Catalog.Fields.ShouldContain(new CrmField("properties.favorite_store", "favorite_store", "custom"));
        catalog.Catalog.Fields.ShouldNotContain(f => f.Key.Contains("$source"));
        klaviyo.Requests.Count(r => r.PathAndQuery.StartsWith("/api/lists", StringComparison.Ordinal)).ShouldBe(3);
        klaviyo.Requests.Single(r => r.PathAndQuery.StartsWith("/api/profiles", StringComparison.Ordinal)).PathAndQuery.ShouldContain("fields[profile]=properties");
    }

    [Fact]
    public async Task The_fake_refuses_list_pages_larger_than_ten_so_a_client_that_does_not_page_is_caught()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, klaviyo.BaseUrl + "/api/lists?page[size]=100");
        request.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key " + klaviyo.ApiKey);
        request.Headers.Add("revision", "2026-07-15");

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync()).ShouldContain("between 1 and 10");
    }

    [Fact]
    public async Task The_fake_refuses_calls_without_a_revision()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, klaviyo.BaseUrl + "/api/lists");
        request.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key " + klaviyo.ApiKey);

        using var response = await client.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(400);
        (await response.Content.ReadAsStringAsync()).ShouldContain("revision");
    }

    [Fact]
    public async Task Erasing_asks_for_a_deletion_job_by_email_alone()
    {
        await Connector.UpsertAsync(Target(), [Contact("ann@example.com"), Contact("bob@example.com")], CancellationToken.None);

        var result = await Connector.EraseAsync(Target(), new CrmErasure(Guid.NewGuid(), "Ann@example.com", "+32470123456", "01KFAKE"), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Deletions.ShouldBe(["email:ann@example.com"]);
        klaviyo.Profile("ann@example.com").ShouldBeNull();
        klaviyo.Profile("bob@example.com").ShouldNotBeNull();
    }

    [Fact]
    public async Task Erasing_a_contact_without_email_uses_its_phone_number()
    {
        var result = await Connector.EraseAsync(Target(), new CrmErasure(Guid.NewGuid(), null, "+32 470 12 34 56", null), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        klaviyo.Deletions.ShouldBe(["phone_number:+32470123456"]);
    }

    [Fact]
    public async Task Klaviyo_does_not_merge_and_says_so()
    {
        var result = await Connector.MergeAsync(Target(), new CrmMerge(Contact("ann@example.com"), []), CancellationToken.None);

        Connector.Info.CanMerge.ShouldBeFalse();
        result.Kind.ShouldBe(CrmResultKind.Refused);
        klaviyo.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_Klaviyo_that_is_down_is_try_later()
    {
        await klaviyo.StopAsync();

        var result = (await Connector.UpsertAsync(Target(), [Contact("ann@example.com")], CancellationToken.None)).Single();

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason.ShouldNotBeNull().ShouldContain("did not answer");
    }

    private string ListWithNewsletter() => klaviyo.AddList("Newsletter");

    private async Task<(int Status, string Body)> PostAsync(string path, string body, string key)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, klaviyo.BaseUrl + path);
        request.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key " + key);
        request.Headers.TryAddWithoutValidation("revision", KlaviyoConnector.Revision);
        request.Content = new StringContent(body, System.Text.Encoding.UTF8);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(KlaviyoConnector.MediaType);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private CrmTarget Target(string? listId = null, params CrmFieldMapping[] mapping) => TargetWith(klaviyo.ApiKey, listId, mapping);

    private static CrmFieldMapping Map(string source, string target) => new(source, target);

    private static CrmTarget TargetWith(string key, string? listId, params CrmFieldMapping[] mapping)
    {
        var settings = new Dictionary<string, string> { [KlaviyoConnector.ApiKeySetting] = key };
        if (listId is not null)
        {
            settings[KlaviyoConnector.ListSetting] = listId;
        }

        return CrmTestContacts.Target(settings, mapping);
    }

    private static ServiceProvider Services(string baseUrl, int timeoutSeconds)
    {
        var services = new ServiceCollection();
        services.AddOptions<CrmOptions>().Configure(o =>
        {
            o.KlaviyoBaseUrl = baseUrl;
            o.TimeoutSeconds = timeoutSeconds;
        });
        services.AddCrmConnector<KlaviyoConnector>(KlaviyoConnector.Kind);
        return services.BuildServiceProvider();
    }
}
