using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.Klaviyo;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.UnitTests.Infrastructure.Crm;

public class KlaviyoProfilesTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Without_a_mapping_a_profile_gets_Klaviyos_standard_attributes()
    {
        var attributes = KlaviyoProfiles.Attributes(Contact(" Ann@Example.com", phone: "+32 470 12 34 56"), []);

        attributes.ToJsonString(Relaxed).ShouldBe("""{"email":"ann@example.com","first_name":"Ann","last_name":"Peeters","phone_number":"+32470123456","location":{"zip":"9000"}}""");
    }

    [Fact]
    public void Mapped_fields_go_to_standard_attributes_location_or_custom_properties()
    {
        var contact = Contact("ann@example.com", birthday: new(3, 5, null), answers: [new("colours", "Colours", ["red", "blue"])], emailConsent: Withdrawn);

        var attributes = KlaviyoProfiles.Attributes(contact, [
            new(CrmSources.LastName, "last_name"),
            new(CrmSources.Store, "location.city"),
            new(CrmSources.Birthday, "properties.birthday"),
            new(CrmSources.Question("colours"), "colours"),
            new(CrmSources.EmailConsent, "properties.email_consent"),
            new(CrmSources.SmsConsent, "properties.sms_consent"),
            new(CrmSources.FirstName, "email"),
        ]);

        attributes.ToJsonString(Relaxed).ShouldBe("""{"email":"ann@example.com","last_name":"Peeters","location":{"city":"Gent"},"properties":{"birthday":"--05-03","colours":"red;blue","email_consent":"false"}}""");
    }

    [Theory]
    [InlineData("+32 470 12 34 56", "+32470123456")]
    [InlineData("0032 (470) 12-34-56", "+32470123456")]
    [InlineData("+1.500.555.0006", "+15005550006")]
    [InlineData("0470 12 34 56", null)]
    [InlineData("+0123456789", null)]
    [InlineData("12", null)]
    [InlineData(" ", null)]
    public void A_phone_number_goes_only_in_E164(string phone, string? expected) =>
        KlaviyoProfiles.PhoneNumber(phone).ShouldBe(expected);

    [Fact]
    public void Only_current_email_consent_with_a_chosen_list_subscribes()
    {
        KlaviyoProfiles.Subscribes(Contact("a@example.com", emailConsent: Given), "L1").ShouldBeTrue();
        KlaviyoProfiles.Subscribes(Contact("a@example.com", emailConsent: Given), null).ShouldBeFalse();
        KlaviyoProfiles.Subscribes(Contact("a@example.com", emailConsent: Withdrawn), "L1").ShouldBeFalse();
        KlaviyoProfiles.Subscribes(Contact("a@example.com"), "L1").ShouldBeFalse();
        KlaviyoProfiles.Subscribes(Contact("a@example.com", smsConsent: Given), "L1").ShouldBeFalse();
        KlaviyoProfiles.Subscribes(Contact(null, emailConsent: Given), "L1").ShouldBeFalse();
    }

    [Fact]
    public void A_subscription_job_subscribes_email_marketing_to_the_list_without_a_consent_date()
    {
        var job = KlaviyoProfiles.SubscriptionJob([Contact("Ann@example.com", emailConsent: Given)], "L1");

        job.ToJsonString(Relaxed).ShouldBe("""{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"custom_source":"CustomerInfo kiosk","profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","subscriptions":{"email":{"marketing":{"consent":"SUBSCRIBED"}}}}}]}},"relationships":{"list":{"data":{"type":"list","id":"L1"}}}}}""");
    }

    /// <summary>
    /// The consent table: what each channel's state does with a chosen list. "sub" subscribes,
    /// "unsub" unsubscribes, "-" sends nothing for that channel. A consent given again after a
    /// withdrawal is current (<see cref="CrmConsent.Given"/>), so it subscribes. "-told": the same act, told
    /// to Klaviyo by an earlier push (<see cref="CrmConsent.IsNew"/> false), sends nothing: the shopper may have
    /// unsubscribed in Klaviyo since.
    /// </summary>
    [Theory]
    [InlineData("given", "none", "+32470123456", "sub", "-")]
    [InlineData("withdrawn", "none", "+32470123456", "unsub", "-")]
    [InlineData("none", "none", "+32470123456", "-", "-")]
    [InlineData("given-again", "none", "+32470123456", "sub", "-")]
    [InlineData("none", "given", "+32470123456", "-", "sub")]
    [InlineData("none", "given", null, "-", "-")]
    [InlineData("none", "given", "0470 12 34", "-", "-")]
    [InlineData("none", "withdrawn", "+32470123456", "-", "unsub")]
    [InlineData("none", "withdrawn", null, "-", "-")]
    [InlineData("given", "withdrawn", "+32470123456", "sub", "unsub")]
    [InlineData("withdrawn", "given", "+32470123456", "unsub", "sub")]
    [InlineData("given-told", "none", "+32470123456", "-", "-")]
    [InlineData("withdrawn-told", "none", "+32470123456", "-", "-")]
    [InlineData("none", "given-told", "+32470123456", "-", "-")]
    [InlineData("none", "withdrawn-told", "+32470123456", "-", "-")]
    [InlineData("given-told", "withdrawn", "+32470123456", "-", "unsub")]
    [InlineData("given", "given-told", "+32470123456", "sub", "-")]
    public void Each_channel_subscribes_or_unsubscribes_from_its_own_consent(string email, string sms, string? phone, string emailCall, string smsCall)
    {
        var contact = Contact("ann@example.com", phone: phone, emailConsent: Consent(email), smsConsent: Consent(sms));

        (KlaviyoProfiles.Subscribes(contact, "L1") ? "sub" : KlaviyoProfiles.UnsubscribesEmail(contact) ? "unsub" : "-").ShouldBe(emailCall);
        (KlaviyoProfiles.SubscribesSms(contact, "L1") ? "sub" : KlaviyoProfiles.UnsubscribesSms(contact) ? "unsub" : "-").ShouldBe(smsCall);
        KlaviyoProfiles.Unsubscribes(contact).ShouldBe(emailCall == "unsub" || smsCall == "unsub");
    }

    [Fact]
    public void Without_a_chosen_list_nothing_subscribes_but_a_withdrawal_still_unsubscribes()
    {
        var contact = Contact("ann@example.com", emailConsent: Withdrawn, smsConsent: Given);

        KlaviyoProfiles.SubscribesSms(contact, null).ShouldBeFalse();
        KlaviyoProfiles.UnsubscribesEmail(contact).ShouldBeTrue();
    }

    [Fact]
    public void An_sms_subscription_job_carries_the_number_in_E164_and_the_email_to_find_the_profile()
    {
        var job = KlaviyoProfiles.SubscriptionJob([Contact("Ann@example.com", phone: "+32 470 12 34 56", smsConsent: Given)], "L1", KlaviyoChannel.Sms);

        job.ToJsonString(Relaxed).ShouldBe("""{"data":{"type":"profile-subscription-bulk-create-job","attributes":{"custom_source":"CustomerInfo kiosk","profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","phone_number":"+32470123456","subscriptions":{"sms":{"marketing":{"consent":"SUBSCRIBED"}}}}}]}},"relationships":{"list":{"data":{"type":"list","id":"L1"}}}}}""");
    }

    [Fact]
    public void An_unsubscription_job_names_only_the_withdrawn_channels_and_no_list()
    {
        var job = KlaviyoProfiles.UnsubscriptionJob([
            Contact("Ann@example.com", emailConsent: Withdrawn, smsConsent: Withdrawn),
            Contact("bob@example.com", phone: "0032 470 99 98 88", emailConsent: Given, smsConsent: Withdrawn),
        ]);

        job.ToJsonString(Relaxed).ShouldBe("""{"data":{"type":"profile-subscription-bulk-delete-job","attributes":{"profiles":{"data":[{"type":"profile","attributes":{"email":"ann@example.com","phone_number":"+32470123456","subscriptions":{"email":{"marketing":{"consent":"UNSUBSCRIBED"}},"sms":{"marketing":{"consent":"UNSUBSCRIBED"}}}}},{"type":"profile","attributes":{"email":"bob@example.com","phone_number":"+32470999888","subscriptions":{"sms":{"marketing":{"consent":"UNSUBSCRIBED"}}}}}]}}}}""");
    }

    private static CrmConsent Consent(string state) => state switch
    {
        "given" => Given,
        "withdrawn" => Withdrawn,
        "given-told" => Given with { IsNew = false },
        "withdrawn-told" => Withdrawn with { IsNew = false },
        "given-again" => CrmConsent.Of(new ConsentProof(ConsentChannel.Email, "Yes, send me news", "v2", "nl", At.AddDays(2), Location: null), At.AddDays(1)),
        _ => CrmConsent.None,
    };

    [Fact]
    public void A_deletion_names_exactly_one_identifier_email_first()
    {
        KlaviyoProfiles.DeletionProfile(new(Guid.NewGuid(), "a@example.com", "+32470123456", "01X"))!.ToJsonString(Relaxed).ShouldBe("""{"type":"profile","attributes":{"email":"a@example.com"}}""");
        KlaviyoProfiles.DeletionProfile(new(Guid.NewGuid(), null, "+32470123456", "01X"))!.ToJsonString(Relaxed).ShouldBe("""{"type":"profile","attributes":{"phone_number":"+32470123456"}}""");
        KlaviyoProfiles.DeletionProfile(new(Guid.NewGuid(), null, "0470", "01X"))!.ToJsonString(Relaxed).ShouldBe("""{"type":"profile","id":"01X","attributes":{}}""");
        KlaviyoProfiles.DeletionProfile(new(Guid.NewGuid(), " ", null, null)).ShouldBeNull();
    }

    [Fact]
    public void The_next_page_is_followed_only_on_Klaviyos_own_host()
    {
        var baseUrl = new Uri("https://a.klaviyo.com/");
        using var same = JsonDocument.Parse("""{"links":{"self":"x","next":"https://a.klaviyo.com/api/lists?page[cursor]=abc"}}""");
        using var elsewhere = JsonDocument.Parse("""{"links":{"self":"x","next":"https://evil.example/api/lists?page[cursor]=abc"}}""");
        using var plain = JsonDocument.Parse("""{"links":{"self":"x","next":"http://a.klaviyo.com/api/lists"}}""");
        using var last = JsonDocument.Parse("""{"links":{"self":"x"}}""");

        KlaviyoProfiles.NextPage(same.RootElement, baseUrl).ShouldBe(new Uri("https://a.klaviyo.com/api/lists?page[cursor]=abc"));
        KlaviyoProfiles.NextPage(elsewhere.RootElement, baseUrl).ShouldBeNull();
        KlaviyoProfiles.NextPage(plain.RootElement, baseUrl).ShouldBeNull();
        KlaviyoProfiles.NextPage(last.RootElement, baseUrl).ShouldBeNull();
    }

    [Fact]
    public void Lists_are_read_with_their_opt_in_process()
    {
        using var json = JsonDocument.Parse("""{"data":[{"type":"list","id":"A","attributes":{"name":"News","opt_in_process":"double_opt_in"}},{"type":"list","id":"B","attributes":{"name":null,"opt_in_process":null}},{"type":"list"}]}""");

        KlaviyoProfiles.Lists(json.RootElement).ShouldBe([new CrmList("A", "News", true), new CrmList("B", "B", null)]);
    }

    [Fact]
    public void Klaviyos_error_text_is_each_errors_detail()
    {
        using var json = JsonDocument.Parse("""{"errors":[{"id":"1","code":"invalid","title":"Invalid input.","detail":"Bad phone"},{"id":"2","code":"x","title":"Only a title"}]}""");

        KlaviyoConnector.Message(json.RootElement).ShouldBe("Bad phone; Only a title");
    }
}
