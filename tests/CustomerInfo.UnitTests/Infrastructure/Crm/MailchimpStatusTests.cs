using CustomerInfo.Application.Crm;
using CustomerInfo.Infrastructure.Crm.Mailchimp;

namespace CustomerInfo.UnitTests.Infrastructure.Crm;

public class MailchimpStatusTests
{
    private static readonly CrmConsent Given = new(true, DateTimeOffset.UnixEpoch, "Yes", "v1", null);
    private static readonly CrmConsent Withdrawn = CrmConsent.None with { WithdrawnAt = DateTimeOffset.UnixEpoch };

    public static TheoryData<string, string?, bool, string?, string> Cases => new()
    {
        // consent, member's status now, double opt-in → status sent (null: none), status_if_new
        { "given", null, false, null, "subscribed" },
        { "given", null, true, null, "pending" },
        { "given", "subscribed", true, null, "pending" },
        { "given", "pending", false, null, "subscribed" },
        { "given", "unsubscribed", false, "pending", "subscribed" },
        { "given", "unsubscribed", true, "pending", "pending" },
        { "given", "cleaned", false, "pending", "subscribed" },
        { "given", "archived", false, "pending", "subscribed" },
        { "given", "transactional", false, "subscribed", "subscribed" },
        { "given", "transactional", true, "pending", "pending" },
        { "withdrawn", null, false, null, "unsubscribed" },
        { "withdrawn", "subscribed", false, "unsubscribed", "unsubscribed" },
        { "withdrawn", "pending", true, "unsubscribed", "unsubscribed" },
        { "withdrawn", "transactional", false, "unsubscribed", "unsubscribed" },
        { "withdrawn", "unsubscribed", false, null, "unsubscribed" },
        { "never", null, false, null, "transactional" },
        { "never", null, true, null, "transactional" },
        { "never", "subscribed", false, null, "transactional" },
        { "never", "unsubscribed", false, null, "transactional" },

        // the same acts, told to Mailchimp already (CrmConsent.IsNew false: a merge, a retry, a detail change, the
        // history): an existing member's status is Mailchimp's, since the shopper may have unsubscribed there
        { "given-told", "unsubscribed", false, null, "subscribed" },
        { "given-told", "unsubscribed", true, null, "pending" },
        { "given-told", "cleaned", false, null, "subscribed" },
        { "given-told", "archived", false, null, "subscribed" },
        { "given-told", "transactional", false, null, "subscribed" },
        { "given-told", "subscribed", false, null, "subscribed" },
        { "given-told", null, false, null, "subscribed" },
        { "withdrawn-told", "subscribed", false, null, "unsubscribed" },
        { "withdrawn-told", "pending", false, null, "unsubscribed" },
        { "withdrawn-told", null, false, null, "unsubscribed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Consent_and_the_members_status_decide_what_is_sent(string consent, string? existing, bool doubleOptIn, string? status, string statusIfNew)
    {
        var current = consent switch
        {
            "given" => Given,
            "withdrawn" => Withdrawn,
            "given-told" => Given with { IsNew = false },
            "withdrawn-told" => Withdrawn with { IsNew = false },
            _ => CrmConsent.None,
        };

        MailchimpStatus.Decide(current, existing, doubleOptIn).ShouldBe(new MailchimpStatusChange(status, statusIfNew));
    }

    [Fact]
    public void No_consent_ever_sends_subscribed_to_a_member_who_unsubscribed()
    {
        foreach (var consent in new[] { Given, Withdrawn, CrmConsent.None, Given with { IsNew = false }, Withdrawn with { IsNew = false } })
        {
            foreach (var doubleOptIn in new[] { true, false })
            {
                MailchimpStatus.Decide(consent, "unsubscribed", doubleOptIn).Status.ShouldNotBe("subscribed");
            }
        }
    }

    [Fact]
    public void The_subscriber_hash_is_the_md5_of_the_lower_cased_address() =>
        MailchimpConnector.SubscriberHash("Ann@Example.com ").ShouldBe("257c57037d384ae37ea27a07e8a01665");
}
