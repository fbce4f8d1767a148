using CustomerInfo.Application.Contacts;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.UnitTests.Application.Contacts;

public class ContactSummaryProjectionTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private static ConsentProof Proof(ConsentChannel channel, DateTimeOffset givenAt) =>
        new(channel, "Yes, you may.", "v-" + givenAt.Ticks, "en", givenAt, "Front desk");

    private static ContactSummary Contact(Shopper shopper, DateTimeOffset at, ConsentProof? email = null, ConsentProof? sms = null)
    {
        var created = ContactSummaryProjection.Create(new ContactCreated(Guid.NewGuid(), Guid.NewGuid(), shopper, email, sms, at));
        created.ConsentProofs.Count.ShouldBe(new[] { email, sms }.Count(p => p is not null));
        return created;
    }

    private static ContactSummary Absorb(ContactSummary survivor, ContactSummary absorbed) =>
        ContactSummaryProjection.Apply(new ContactAbsorbed(survivor.Id, absorbed.AsAbsorbed(), Guid.NewGuid(), ["email:x@example.com"], Monday.AddDays(9)), survivor);

    [Fact]
    public void The_contact_that_signed_up_last_gives_the_details_and_the_other_fills_the_gaps()
    {
        var older = Contact(new("Ann", "Smith", "ann@example.com", null, new Birthday(1, 2, null), "1011AB"), Monday);
        var newer = Contact(new("Anna", null, null, "+31612345678", null, null), Monday.AddDays(2));

        foreach (var merged in new[] { Absorb(older, newer), Absorb(newer, older) })
        {
            merged.Shopper.ShouldBe(new Shopper("Anna", "Smith", "ann@example.com", "+31612345678", new Birthday(1, 2, null), "1011AB"));
            merged.FirstSignedUpAt.ShouldBe(Monday);
            merged.LastSignedUpAt.ShouldBe(Monday.AddDays(2));
            merged.SignUps.ShouldBe(2);
            merged.SignUpIds.ShouldBe([.. older.SignUpIds, .. newer.SignUpIds], ignoreOrder: true);
        }
    }

    [Fact]
    public void Per_channel_the_consent_given_last_is_current_and_every_proof_is_kept()
    {
        var survivorEmail = Proof(ConsentChannel.Email, Monday);
        var absorbedEmail = Proof(ConsentChannel.Email, Monday.AddDays(1));
        var absorbedSms = Proof(ConsentChannel.Sms, Monday.AddDays(1));
        var survivor = Contact(new("Ann", null, "ann@example.com", null, null, null), Monday, email: survivorEmail);
        var absorbed = Contact(new("Ann", null, null, "+31612345678", null, null), Monday.AddDays(1), email: absorbedEmail, sms: absorbedSms);

        var merged = Absorb(survivor, absorbed);

        merged.EmailConsent.ShouldBe(absorbedEmail);
        merged.SmsConsent.ShouldBe(absorbedSms);
        merged.ConsentProofs.ShouldBe([survivorEmail, absorbedEmail, absorbedSms]);

        // An older proof does not replace a newer one, and no consent does not remove one.
        var back = Absorb(absorbed, survivor);
        back.EmailConsent.ShouldBe(absorbedEmail);
        back.SmsConsent.ShouldBe(absorbedSms);
        back.ConsentProofs.Count.ShouldBe(3);
    }

    [Fact]
    public void A_contact_absorbed_with_its_own_absorbed_contacts_brings_them_along()
    {
        var a = Contact(new("Ann", null, "ann@example.com", null, null, null), Monday);
        var b = Contact(new("Ann", null, null, "+31612345678", null, null), Monday.AddDays(1));
        var c = Contact(new("Ann", null, "ann@work.example", null, null, null), Monday.AddDays(2));

        var bWithC = Absorb(b, c);
        var all = Absorb(a, bWithC);

        all.AbsorbedContactIds.ShouldBe([b.Id, c.Id]);
        all.SignUps.ShouldBe(3);
        all.MergedInto.ShouldBeNull();

        var marked = ContactSummaryProjection.Apply(new ContactMergedInto(c.Id, a.Id, b.Id, Guid.NewGuid(), [], Monday.AddDays(9)), c);
        marked.MergedInto.ShouldBe(a.Id);
        marked.MergedAt.ShouldBe(Monday.AddDays(9));
        marked.SignUpIds.ShouldBe(c.SignUpIds);
    }

    [Fact]
    public void A_withdrawn_consent_is_not_current_its_proof_stays_and_a_later_one_is_current_again()
    {
        var email = Proof(ConsentChannel.Email, Monday);
        var sms = Proof(ConsentChannel.Sms, Monday);
        var contact = Contact(new("Ann", null, "ann@example.com", "+31612345678", null, null), Monday, email, sms);

        var withdrawn = ContactSummaryProjection.Apply(new ConsentWithdrawn(contact.Id, ConsentChannel.Email, Monday.AddDays(1)), contact);

        withdrawn.EmailConsent.ShouldBeNull();
        withdrawn.EmailConsentWithdrawnAt.ShouldBe(Monday.AddDays(1));
        withdrawn.SmsConsent.ShouldBe(sms);
        withdrawn.ConsentProofs.ShouldBe([email, sms]);
        withdrawn.ConsentOn(ConsentChannel.Email).ShouldBeNull();
        withdrawn.WithdrawnOn(ConsentChannel.Email).ShouldBe(Monday.AddDays(1));
        withdrawn.WithdrawnOn(ConsentChannel.Sms).ShouldBeNull();

        var again = Proof(ConsentChannel.Email, Monday.AddDays(2));
        var signedUpAgain = ContactSummaryProjection.Apply(new ContactDetailsUpdated(contact.Id, Guid.NewGuid(), contact.Shopper, again, null, Monday.AddDays(2)), withdrawn);
        signedUpAgain.EmailConsent.ShouldBe(again);
        signedUpAgain.SmsConsent.ShouldBe(sms);

        var sms2 = ContactSummaryProjection.Apply(new ConsentWithdrawn(contact.Id, ConsentChannel.Sms, Monday.AddDays(3)), signedUpAgain);
        sms2.SmsConsent.ShouldBeNull();
        sms2.SmsConsentWithdrawnAt.ShouldBe(Monday.AddDays(3));
    }

    [Fact]
    public void A_merge_keeps_a_withdrawal_of_either_contact_over_the_consents_given_before_it()
    {
        var survivor = Contact(new("Ann", null, "ann@example.com", null, null, null), Monday, email: Proof(ConsentChannel.Email, Monday));
        var absorbed = Contact(new("Ann", null, null, "+31612345678", null, null), Monday.AddDays(1), email: Proof(ConsentChannel.Email, Monday.AddDays(1)), sms: Proof(ConsentChannel.Sms, Monday.AddDays(1)));
        absorbed = ContactSummaryProjection.Apply(new ConsentWithdrawn(absorbed.Id, ConsentChannel.Email, Monday.AddDays(2)), absorbed);
        var laterSms = Proof(ConsentChannel.Sms, Monday.AddDays(4));
        survivor = ContactSummaryProjection.Apply(new ConsentWithdrawn(survivor.Id, ConsentChannel.Sms, Monday.AddDays(3)), survivor);

        var merged = Absorb(survivor, absorbed);

        merged.EmailConsent.ShouldBeNull(); // both email consents were given before the absorbed contact's withdrawal
        merged.EmailConsentWithdrawnAt.ShouldBe(Monday.AddDays(2));
        merged.SmsConsent.ShouldBeNull(); // the absorbed contact's SMS consent came before the survivor's withdrawal
        merged.SmsConsentWithdrawnAt.ShouldBe(Monday.AddDays(3));

        var absorbedLater = ContactSummaryProjection.Apply(new ContactDetailsUpdated(absorbed.Id, Guid.NewGuid(), absorbed.Shopper, null, laterSms, Monday.AddDays(4)), absorbed);
        Absorb(survivor, absorbedLater).SmsConsent.ShouldBe(laterSms); // given again after the withdrawal
    }

    [Fact]
    public void Withdrawing_is_decided_only_while_there_is_a_current_consent()
    {
        var contact = Contact(new("Ann", null, "ann@example.com", null, null, null), Monday, email: Proof(ConsentChannel.Email, Monday));

        CustomerInfo.Application.Contacts.WithdrawConsent.ConsentWithdrawal.Decide(contact, ConsentChannel.Email, Monday.AddDays(1))
            .ShouldBe(new ConsentWithdrawn(contact.Id, ConsentChannel.Email, Monday.AddDays(1)));
        CustomerInfo.Application.Contacts.WithdrawConsent.ConsentWithdrawal.Decide(contact, ConsentChannel.Sms, Monday.AddDays(1)).ShouldBeNull();
        var withdrawn = ContactSummaryProjection.Apply(new ConsentWithdrawn(contact.Id, ConsentChannel.Email, Monday.AddDays(1)), contact);
        CustomerInfo.Application.Contacts.WithdrawConsent.ConsentWithdrawal.Decide(withdrawn, ConsentChannel.Email, Monday.AddDays(2)).ShouldBeNull();
    }

    [Fact]
    public void The_name_keys_are_the_lower_case_names_the_search_compares()
    {
        var contact = Contact(new("Ann", "de Vries", null, null, null, null), Monday);

        contact.NameKey.ShouldBe("ann de vries");
        contact.LastNameKey.ShouldBe("de vries");
        Contact(ShopperData.None, Monday).NameKey.ShouldBeNull();
    }
}
