using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm.Mailchimp;
using CustomerInfo.TestSupport.Crm;
using static CustomerInfo.IntegrationTests.Crm.CrmConnectorHost;

namespace CustomerInfo.IntegrationTests.Crm;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class MailchimpConnectorTests : IAsyncLifetime
{
    private const string ListId = "a1b2c3d4e5";
    private FakeMailchimp mailchimp = null!;
    private CrmConnectorHost host = null!;
    private MailchimpConnector connector = null!;

    public async Task InitializeAsync()
    {
        mailchimp = await FakeMailchimp.StartNewAsync();
        mailchimp.AddList(ListId, "Newsletter");
        host = new CrmConnectorHost([new("Crm:MailchimpBaseUrl", mailchimp.BaseUrlTemplate), new("Crm:TimeoutSeconds", "2")]);
        connector = host.Connector<MailchimpConnector>();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await mailchimp.DisposeAsync();
    }

    private static Dictionary<string, string> Settings(string apiKey = FakeMailchimp.ApiKey, string? listId = ListId)
    {
        var settings = new Dictionary<string, string> { [MailchimpConnector.ApiKeySetting] = apiKey };
        if (listId is not null)
        {
            settings[MailchimpConnector.ListSetting] = listId;
        }

        return settings;
    }

    private async Task<CrmResult> UpsertAsync(CrmContact contact, params CrmFieldMapping[] mapping) =>
        (await connector.UpsertAsync(Target(Settings(), mapping), [contact], CancellationToken.None)).ShouldHaveSingleItem();

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef-")]
    [InlineData("0123456789abcdef0123456789abcdef-21")]
    [InlineData("0123456789abcdef\n0123456789abcdef-us21")]
    [InlineData("ключ0123456789abcdef-us21")]
    [InlineData("0123456789abcdef0123456789abcdef-us21/../x")]
    public async Task A_key_without_a_data_centre_suffix_or_with_odd_characters_is_malformed_and_nothing_is_sent(string apiKey)
    {
        connector.Check(Settings(apiKey)).ShouldBe([new CrmSettingError(MailchimpConnector.ApiKeySetting, CrmSettingProblem.Malformed)]);

        var result = await connector.TestAsync(Target(Settings(apiKey)), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason!.ShouldNotContain(apiKey);
        mailchimp.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void The_data_centre_is_the_keys_suffix_and_a_missing_list_or_odd_list_id_is_reported()
    {
        MailchimpConnector.DataCentreOf(FakeMailchimp.ApiKey).ShouldBe("us21");
        connector.Check(Settings()).ShouldBeEmpty();
        connector.Check(new Dictionary<string, string>()).ShouldBe([new(MailchimpConnector.ApiKeySetting, CrmSettingProblem.Missing), new(MailchimpConnector.ListSetting, CrmSettingProblem.Missing)]);
        connector.Check(Settings(listId: "../lists?x=1")).ShouldBe([new CrmSettingError(MailchimpConnector.ListSetting, CrmSettingProblem.Malformed)]);
    }

    [Fact]
    public async Task Test_connection_pings_with_basic_auth_at_the_keys_data_centre_then_reads_the_list()
    {
        var result = await connector.TestAsync(Target(Settings()), CancellationToken.None);

        result.Kind.ShouldBe(CrmResultKind.Done);
        mailchimp.Requests.Select(r => r.PathAndQuery.Split('?')[0]).ShouldBe(["/us21/3.0/ping", $"/us21/3.0/lists/{ListId}"]);
        mailchimp.Requests[0].Header("Authorization")!.ShouldStartWith("Basic ");
    }

    [Fact]
    public async Task A_wrong_key_or_a_key_of_another_data_centre_is_bad_credentials()
    {
        var wrong = await connector.TestAsync(Target(Settings("ffffffffffffffffffffffffffffffff-us21")), CancellationToken.None);
        var elsewhere = await connector.TestAsync(Target(Settings("0123456789abcdef0123456789abcdef-us5")), CancellationToken.None);

        wrong.Kind.ShouldBe(CrmResultKind.BadCredentials);
        wrong.Reason.ShouldBe("Mailchimp answered 401 Unauthorized: API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        elsewhere.Kind.ShouldBe(CrmResultKind.BadCredentials);
        mailchimp.Requests[^1].PathAndQuery.ShouldStartWith("/us5/3.0/");
    }

    [Fact]
    public async Task An_unknown_list_fails_the_test_and_every_push_with_list_not_found()
    {
        var target = Target(Settings(listId: "nosuchlist"));

        var tested = await connector.TestAsync(target, CancellationToken.None);
        var pushed = await connector.UpsertAsync(target, [Contact("ann@example.com"), Contact("bob@example.com")], CancellationToken.None);

        tested.Kind.ShouldBe(CrmResultKind.Refused);
        tested.Reason!.ShouldContain("no list with the chosen id");
        pushed.Select(r => r.Reason).ShouldAllBe(r => r!.Contains("no list with the chosen id"));
        mailchimp.Requests.ShouldNotContain(r => r.Method == "PUT");
    }

    [Fact]
    public async Task A_new_shopper_with_consent_is_subscribed_with_their_names_and_the_store_as_a_tag()
    {
        var result = await UpsertAsync(Contact("Ann.Example@Example.com"));

        var member = mailchimp.Member(ListId, "ann.example@example.com").ShouldNotBeNull();
        member.Status.ShouldBe("subscribed");
        member.MergeFields.ShouldBe(new Dictionary<string, string> { ["FNAME"] = "Ann", ["LNAME"] = "Example" });
        member.Tags.ShouldBe(["CustomerInfo", "Acme City Centre"], ignoreOrder: true);
        member.Language.ShouldBe("en");
        result.ShouldBe(CrmResult.Done(member.UniqueEmailId));
        mailchimp.Requests.ShouldContain(r => r.Method == "PUT" && r.PathAndQuery == $"/us21/3.0/lists/{ListId}/members/{FakeMailchimp.Hash("ann.example@example.com")}");
        mailchimp.ConfirmationMails.ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_double_opt_in_list_a_new_shopper_is_pending_and_gets_mailchimps_confirmation_mail()
    {
        mailchimp.List(ListId).DoubleOptIn = true;

        (await UpsertAsync(Contact("ann@example.com"))).Kind.ShouldBe(CrmResultKind.Done);

        mailchimp.Member(ListId, "ann@example.com")!.Status.ShouldBe("pending");
        mailchimp.ConfirmationMails.ShouldBe(["ann@example.com"]);
    }

    [Fact]
    public async Task A_shopper_who_unsubscribed_and_signs_up_again_becomes_pending_never_subscribed()
    {
        mailchimp.SetMember(ListId, "ann@example.com", "unsubscribed");

        (await UpsertAsync(Contact("ann@example.com"))).Kind.ShouldBe(CrmResultKind.Done);

        mailchimp.Member(ListId, "ann@example.com")!.Status.ShouldBe("pending");
        mailchimp.ConfirmationMails.ShouldBe(["ann@example.com"]);
    }

    [Fact]
    public async Task Withdrawn_consent_unsubscribes_and_no_consent_never_subscribes()
    {
        mailchimp.SetMember(ListId, "ann@example.com", "subscribed");
        mailchimp.SetMember(ListId, "carl@example.com", "subscribed");

        (await UpsertAsync(Contact("ann@example.com", Withdrawn))).Kind.ShouldBe(CrmResultKind.Done);
        (await UpsertAsync(Contact("bob@example.com", CrmConsent.None))).Kind.ShouldBe(CrmResultKind.Done);
        (await UpsertAsync(Contact("carl@example.com", CrmConsent.None))).Kind.ShouldBe(CrmResultKind.Done);
        (await UpsertAsync(Contact("dora@example.com", Withdrawn))).Kind.ShouldBe(CrmResultKind.Done);

        mailchimp.Member(ListId, "ann@example.com")!.Status.ShouldBe("unsubscribed");
        mailchimp.Member(ListId, "bob@example.com")!.Status.ShouldBe("transactional");
        mailchimp.Member(ListId, "carl@example.com")!.Status.ShouldBe("subscribed", "a sign-up without the box ticked does not end a subscription made elsewhere");
        mailchimp.Member(ListId, "dora@example.com")!.Status.ShouldBe("unsubscribed");
    }

    [Fact]
    public async Task The_same_shopper_pushed_twice_is_one_member_and_one_confirmation_mail()
    {
        mailchimp.List(ListId).DoubleOptIn = true;
        var contact = Contact("ann@example.com");

        (await UpsertAsync(contact)).Kind.ShouldBe(CrmResultKind.Done);
        (await UpsertAsync(contact)).Kind.ShouldBe(CrmResultKind.Done);

        mailchimp.List(ListId).Members.Count.ShouldBe(1);
        mailchimp.Member(ListId, "ann@example.com")!.Writes.ShouldBe(2);
        mailchimp.ConfirmationMails.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_gives_one_result_per_contact_in_order_and_reads_the_list_once()
    {
        var results = await connector.UpsertAsync(Target(Settings()), [Contact("ann@example.com"), Contact(" "), Contact("bob@example.com", CrmConsent.None)], CancellationToken.None);

        results.Select(r => r.Kind).ShouldBe([CrmResultKind.Done, CrmResultKind.Refused, CrmResultKind.Done]);
        results[1].Reason!.ShouldContain("this contact has none");
        mailchimp.Requests.Count(r => r.PathAndQuery.StartsWith($"/us21/3.0/lists/{ListId}?", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_required_merge_field_the_kiosk_does_not_fill_is_refused_with_mailchimps_reason()
    {
        mailchimp.List(ListId).AddMergeField("COMPANY", "Company", required: true);

        var result = await UpsertAsync(Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason.ShouldBe("Mailchimp answered 400 Bad Request: Invalid Resource: Your merge fields were invalid. (COMPANY: Please enter a value)");
        mailchimp.Member(ListId, "ann@example.com").ShouldBeNull();
    }

    [Fact]
    public async Task An_address_in_a_compliance_state_is_refused_with_mailchimps_detail_without_the_address()
    {
        mailchimp.PutInComplianceReview("ann@example.com");

        var result = await UpsertAsync(Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason!.ShouldContain("Member In Compliance State");
        result.Reason!.ShouldContain("is in a compliance state due to unsubscribe, bounce, or compliance review");
        result.Reason!.ShouldNotContain("ann@example.com");
        result.Reason!.ShouldNotContain("example.com");
    }

    [Fact]
    public async Task The_retailers_mapping_sends_questions_and_birthdays_in_the_fields_types()
    {
        mailchimp.List(ListId).AddMergeField("COLOUR", "Favourite colour").AddMergeField("BDAY", "Birthday", "birthday").AddMergeField("ZIP", "Postal code", "zip");

        var result = await UpsertAsync(
            Contact("ann@example.com"),
            new(CrmSources.FirstName, "FNAME"),
            new(CrmSources.Question("favourite"), "COLOUR"),
            new(CrmSources.Birthday, "BDAY"),
            new(CrmSources.PostalCode, "ZIP"),
            new(CrmSources.Phone, "PHONE"));

        result.Kind.ShouldBe(CrmResultKind.Done);
        mailchimp.Member(ListId, "ann@example.com")!.MergeFields.ShouldBe(new Dictionary<string, string> { ["FNAME"] = "Ann", ["COLOUR"] = "blue;green", ["BDAY"] = "02/14", ["ZIP"] = "10115" });
    }

    [Fact]
    public async Task A_mapped_field_the_list_no_longer_has_fails_the_push_with_its_name_and_sends_nothing()
    {
        mailchimp.List(ListId).AddMergeField("COLOUR", "Favourite colour");
        mailchimp.List(ListId).RemoveMergeField("COLOUR");

        var result = await UpsertAsync(Contact("ann@example.com"), new CrmFieldMapping(CrmSources.Question("favourite"), "COLOUR"));

        result.Kind.ShouldBe(CrmResultKind.Refused);
        result.Reason!.ShouldContain("no longer has the merge fields COLOUR");
        mailchimp.Requests.ShouldNotContain(r => r.Method == "PUT");
    }

    [Fact]
    public async Task The_catalog_pages_through_every_list_and_merge_field()
    {
        for (var i = 0; i < 130; i++)
        {
            mailchimp.AddList($"list{i:D3}", $"Audience {i}", doubleOptIn: i % 2 == 0);
        }

        for (var i = 0; i < 12; i++)
        {
            mailchimp.List(ListId).AddMergeField($"Q{i}", $"Question {i}", required: i == 3);
        }

        var catalog = await connector.ListCatalogAsync(Target(Settings()), CancellationToken.None);

        catalog.Result.Kind.ShouldBe(CrmResultKind.Done);
        catalog.Catalog!.Lists.Count.ShouldBe(131);
        catalog.Catalog.Lists.ShouldContain(new CrmList("list004", "Audience 4", true));
        catalog.Catalog.Lists.ShouldContain(new CrmList(ListId, "Newsletter", false));
        catalog.Catalog.Fields.Count.ShouldBe(16);
        catalog.Catalog.Fields.ShouldContain(new CrmField("Q3", "Question 3", "text", Required: true));
        catalog.Catalog.Fields.ShouldContain(new CrmField("PHONE", "Phone Number", "phone"));
        mailchimp.Requests.Count(r => r.PathAndQuery.StartsWith("/us21/3.0/lists?", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task Erasing_deletes_the_member_for_good_and_mailchimp_then_refuses_the_address()
    {
        (await UpsertAsync(Contact("ann@example.com"))).Kind.ShouldBe(CrmResultKind.Done);

        var erased = await connector.EraseAsync(Target(Settings()), new CrmErasure(Guid.NewGuid(), "ann@example.com", null, null), CancellationToken.None);
        var again = await connector.EraseAsync(Target(Settings()), new CrmErasure(Guid.NewGuid(), "ann@example.com", null, null), CancellationToken.None);
        var pushed = await UpsertAsync(Contact("ann@example.com"));

        erased.Kind.ShouldBe(CrmResultKind.Done);
        again.Kind.ShouldBe(CrmResultKind.Done, "an address that is gone is erased");
        mailchimp.PermanentDeletes.ShouldBe(["ann@example.com"]);
        mailchimp.Member(ListId, "ann@example.com").ShouldBeNull();
        mailchimp.Requests.ShouldContain(r => r.Method == "POST" && r.PathAndQuery == $"/us21/3.0/lists/{ListId}/members/{FakeMailchimp.Hash("ann@example.com")}/actions/delete-permanent");
        pushed.Kind.ShouldBe(CrmResultKind.Refused);
        pushed.Reason!.ShouldContain("Forgotten Email Not Subscribed");
        pushed.Reason!.ShouldNotContain("ann@example.com");
    }

    [Fact]
    public void Mailchimp_cannot_merge()
    {
        connector.Info.CanMerge.ShouldBeFalse();
        connector.Info.CanErase.ShouldBeTrue();
        connector.Info.Settings.Single(s => s.Key == MailchimpConnector.ApiKeySetting).Secret.ShouldBeTrue();
    }

    [Fact]
    public async Task Throttling_is_try_later_honouring_retry_after_when_mailchimp_sends_it()
    {
        mailchimp.RetryAfterSeconds = 7;
        mailchimp.FailNext(HttpFault.TooManyRequests);

        var result = await UpsertAsync(Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        result.Reason!.ShouldStartWith("Mailchimp answered 429");
    }

    [Theory]
    [InlineData(HttpFault.ServerError, "Mailchimp answered 500")]
    [InlineData(HttpFault.Unavailable, "Mailchimp answered 503")]
    [InlineData(HttpFault.Html, "a web page (HTML) instead of JSON")]
    [InlineData(HttpFault.HugeBody, "a body of more than 256 KB")]
    [InlineData(HttpFault.Timeout, "did not answer: no answer within 2 s")]
    public async Task A_broken_answer_is_try_later_with_a_clear_reason(HttpFault fault, string reason)
    {
        mailchimp.SlowAnswer = TimeSpan.FromSeconds(5);
        mailchimp.FailNext(fault);

        var result = await UpsertAsync(Contact("ann@example.com"));

        result.Kind.ShouldBe(CrmResultKind.TryLater);
        result.Reason!.ShouldContain(reason);
    }

    [Fact]
    public async Task A_mailchimp_that_is_down_is_try_later_and_the_push_works_once_it_is_back()
    {
        await mailchimp.StopAsync();
        var down = await UpsertAsync(Contact("ann@example.com"));
        await mailchimp.StartAsync();
        var back = await UpsertAsync(Contact("ann@example.com"));

        down.Kind.ShouldBe(CrmResultKind.TryLater);
        down.Reason!.ShouldContain("did not answer");
        back.Kind.ShouldBe(CrmResultKind.Done);
        mailchimp.List(ListId).Members.Count.ShouldBe(1);
    }
}
