using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.SignUps;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.UnitTests.Application.Crm;

/// <summary>Whether a push sends consent as a subscription change: only a new act of the shopper does (issue 12).</summary>
public class CrmConsentRuleTests
{
    private static readonly ConsentProof Proof = new(ConsentChannel.Email, "Yes", "v1", "en", At, "Gent");

    private static CrmConsent Now(ConsentProof? given, DateTimeOffset? withdrawnAt = null) => CrmConsent.Of(given, withdrawnAt);

    [Fact]
    public void A_contact_never_pushed_to_this_connection_sends_its_consent()
    {
        CrmConsentRule.Decide(Now(Proof), [], p => p.EmailConsentSent).IsNew.ShouldBeTrue();
        CrmConsentRule.Decide(Now(null, At), [], p => p.EmailConsentSent).IsNew.ShouldBeTrue();
    }

    [Fact]
    public void A_later_push_of_the_consent_the_crm_was_told_of_leaves_the_crms_status_alone()
    {
        var now = Now(Proof);
        var last = new CrmLastPush(At.AddMinutes(1), now.Mark, CrmConsent.None.Mark);

        var decided = CrmConsentRule.Decide(now, [last], p => p.EmailConsentSent);

        decided.IsNew.ShouldBeFalse();
        decided.SendsChange.ShouldBeFalse();
        decided.Given.ShouldBeTrue();
    }

    [Fact]
    public void A_withdrawal_recorded_since_the_last_push_is_sent()
    {
        var last = new CrmLastPush(At.AddMinutes(1), Now(Proof).Mark, null);

        CrmConsentRule.Decide(Now(null, At.AddDays(1)), [last], p => p.EmailConsentSent).SendsChange.ShouldBeTrue();
    }

    [Fact]
    public void A_new_sign_up_with_consent_after_a_withdrawal_is_sent()
    {
        var withdrawn = Now(null, At.AddDays(1));
        var last = new CrmLastPush(At.AddDays(1).AddMinutes(1), withdrawn.Mark, null);
        var again = Now(Proof with { GivenAt = At.AddDays(2), TextVersion = "v2" });

        CrmConsentRule.Decide(again, [last], p => p.EmailConsentSent).SendsChange.ShouldBeTrue();
    }

    [Fact]
    public void A_sign_up_recorded_late_still_counts_as_new_though_its_time_is_before_the_last_push()
    {
        // The consent's time of record can be earlier than the last push (linked after it), so the rule compares acts, not times.
        var last = new CrmLastPush(At.AddHours(1), CrmConsent.None.Mark, null);

        CrmConsentRule.Decide(Now(Proof), [last], p => p.EmailConsentSent).IsNew.ShouldBeTrue();
    }

    [Fact]
    public void A_push_stored_before_marks_counts_as_having_carried_what_was_recorded_before_it()
    {
        var last = new CrmLastPush(At.AddMinutes(1), EmailConsentSent: null, SmsConsentSent: null);

        CrmConsentRule.Decide(Now(Proof), [last], p => p.EmailConsentSent).IsNew.ShouldBeFalse();
        CrmConsentRule.Decide(Now(null, At.AddDays(1)), [last], p => p.EmailConsentSent).IsNew.ShouldBeTrue();
    }

    [Fact]
    public void A_withdrawal_told_by_one_sign_ups_push_is_told_whatever_order_the_pushes_were_recorded_in()
    {
        // Two sign-ups of one shopper, pushed at the same instant: one carried the consent, the other the withdrawal since.
        var withdrawn = Now(null, At.AddDays(1));
        var pushes = new[] { new CrmLastPush(At.AddDays(2), withdrawn.Mark, null), new CrmLastPush(At.AddDays(2), Now(Proof).Mark, null) };

        CrmConsentRule.Decide(withdrawn, pushes, p => p.EmailConsentSent).IsNew.ShouldBeFalse();
        CrmConsentRule.Decide(withdrawn, pushes.Reverse(), p => p.EmailConsentSent).IsNew.ShouldBeFalse();
    }

    [Fact]
    public void Consent_told_already_is_not_written_to_a_mapped_consent_field()
    {
        var told = Given with { IsNew = false };

        Contact("a@example.com", emailConsent: told).ValueOf(CrmSources.EmailConsent).ShouldBeNull();
        Contact("a@example.com", emailConsent: Withdrawn with { IsNew = false }).ValueOf(CrmSources.EmailConsent).ShouldBeNull();
        Contact("a@example.com", emailConsent: Given).ValueOf(CrmSources.EmailConsent).ShouldBe("true");
    }

    [Fact]
    public void Marks_tell_the_acts_apart()
    {
        Now(Proof).Mark.ShouldNotBe(Now(Proof with { GivenAt = At.AddSeconds(1) }).Mark);
        Now(null, At).Mark.ShouldNotBe(Now(Proof).Mark);
        CrmConsent.None.Mark.ShouldBe("none");
    }

    [Fact]
    public void A_consent_told_with_another_list_joins_the_list_the_connection_uses_now_without_a_subscription_change()
    {
        var now = Now(Proof);
        var toldToOld = new CrmLastPush(At.AddMinutes(1), now.Mark, null, ListId: "OLD01");

        var decided = CrmConsentRule.Decide(now, [toldToOld], p => p.EmailConsentSent, list: "NEW01");

        decided.IsNew.ShouldBeFalse("Klaviyo's bulk subscribe would lift an unsubscribe made there");
        decided.JoinsList.ShouldBeTrue();
        CrmConsentRule.Decide(now, [toldToOld, toldToOld with { ListId = "NEW01" }], p => p.EmailConsentSent, list: "NEW01").JoinsList.ShouldBeFalse("told with this list already");
        CrmConsentRule.Decide(now, [toldToOld with { ListId = null }], p => p.EmailConsentSent, list: "NEW01").JoinsList.ShouldBeTrue("a push before lists were recorded: the add is harmless, once");
        CrmConsentRule.Decide(now, [toldToOld], p => p.EmailConsentSent).JoinsList.ShouldBeFalse("a connection without a list");
    }

    [Fact]
    public void A_withdrawn_or_new_consent_never_joins_a_list_by_the_switch()
    {
        var withdrawn = Now(null, At.AddDays(1));
        var told = new CrmLastPush(At.AddDays(2), withdrawn.Mark, null, ListId: "OLD01");
        CrmConsentRule.Decide(withdrawn, [told], p => p.EmailConsentSent, list: "NEW01").JoinsList.ShouldBeFalse();

        var fresh = CrmConsentRule.Decide(Now(Proof), [], p => p.EmailConsentSent, list: "NEW01");
        fresh.IsNew.ShouldBeTrue("a new act is subscribed to the list as before");
        fresh.JoinsList.ShouldBeFalse();
    }
}
