using CustomerInfo.Application.Crm;
using CustomerInfo.Domain.SignUps;
using static CustomerInfo.TestSupport.Crm.CrmTestContacts;

namespace CustomerInfo.UnitTests.Application.Crm;

public class CrmConsentTests
{
    [Fact]
    public void Consent_reads_true_while_given_false_once_withdrawn_and_nothing_when_never_given()
    {
        Contact("a@example.com", emailConsent: Given).ValueOf(CrmSources.EmailConsent).ShouldBe("true");
        Contact("a@example.com", emailConsent: Withdrawn).ValueOf(CrmSources.EmailConsent).ShouldBe("false");
        Contact("a@example.com").ValueOf(CrmSources.EmailConsent).ShouldBeNull();
    }

    [Fact]
    public void Sms_consent_is_read_apart_from_email_consent()
    {
        var contact = Contact("a@example.com", emailConsent: Given, smsConsent: Withdrawn);

        contact.ValueOf(CrmSources.SmsConsent).ShouldBe("false");
        contact.ValueOf(CrmSources.EmailConsent).ShouldBe("true");
    }

    [Fact]
    public void Consent_given_again_after_withdrawal_reads_true()
    {
        var again = CrmConsent.Of(new ConsentProof(ConsentChannel.Email, "Yes", "v2", "nl", At.AddDays(2), "Gent"), withdrawnAt: null);

        again.AsText().ShouldBe("true");
    }
}
