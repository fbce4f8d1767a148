using System.Reflection;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Persistence;
using Marten;
using Marten.Events;

namespace CustomerInfo.UnitTests.Domain.SignUps;

public class ShopperDataTests
{
    private static readonly Type[] PersonalTypes = [typeof(Shopper), typeof(QuestionAnswer), typeof(AbsorbedContact)];

    private static readonly Shopper Ann = new("Ann", "de Vries", "ann@example.com", "+31612345678", new Birthday(14, 3, 1990), "1012 AB");

    private static readonly ConsentProof Consent = new(ConsentChannel.Email, "Yes, email me.", "v1", "en", DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void Every_event_type_that_can_hold_personal_data_has_an_erased_form()
    {
        var options = new StoreOptions();
        MartenConfiguration.Configure(options, "Host=localhost;Database=none", applySchemaChanges: false);
        var eventTypes = ((EventGraph)options.Events).AllKnownEventTypes().Select(e => e.EventType).ToList();
        eventTypes.ShouldContain(typeof(SignUpSubmitted));

        var personal = eventTypes.Where(HoldsPersonalData).ToList();
        var erasable = typeof(ShopperData).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == nameof(ShopperData.Erase)).Select(m => m.ReturnType).ToList();

        personal.ShouldBe([typeof(SignUpSubmitted), typeof(ContactCreated), typeof(ContactDetailsUpdated), typeof(ContactAbsorbed), typeof(ContactMergedInto)], ignoreOrder: true);
        personal.ShouldAllBe(type => erasable.Contains(type));
    }

    [Fact]
    public void An_erased_sign_up_keeps_when_where_and_the_consent_given_but_nothing_of_the_shopper()
    {
        var submitted = new SignUpSubmitted(Guid.NewGuid(), 3, "nl", "station", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), Ann, [new("note", ["call Ann"])], Consent, null);

        var erased = ShopperData.Erase(submitted);

        erased.ShouldBe(submitted with { Shopper = ShopperData.None, Answers = [] });
        erased.EmailConsent.ShouldBe(Consent);
    }

    [Fact]
    public void Erased_contact_events_hold_no_details_and_no_keys()
    {
        var id = Guid.NewGuid();
        ShopperData.Erase(new ContactCreated(id, Guid.NewGuid(), Ann, Consent, null, DateTimeOffset.UnixEpoch)).Shopper.ShouldBe(ShopperData.None);
        ShopperData.Erase(new ContactDetailsUpdated(id, Guid.NewGuid(), Ann, null, null, DateTimeOffset.UnixEpoch)).Shopper.ShouldBe(ShopperData.None);

        var absorbed = new AbsorbedContact(Guid.NewGuid(), Ann, Consent, null, [Consent], [Guid.NewGuid()], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var merged = ShopperData.Erase(new ContactAbsorbed(id, absorbed, Guid.NewGuid(), ["email:hash"], DateTimeOffset.UnixEpoch));
        merged.Absorbed.ShouldBe(absorbed with { Shopper = ShopperData.None });
        merged.RepointedKeys.ShouldBeEmpty();
        ShopperData.Erase(new ContactMergedInto(id, Guid.NewGuid(), null, Guid.NewGuid(), ["phone:hash"], DateTimeOffset.UnixEpoch)).RepointedKeys.ShouldBeEmpty();
    }

    private static bool HoldsPersonalData(Type type) =>
        type.GetProperties().Any(p =>
            PersonalTypes.Contains(p.PropertyType)
            || (p.PropertyType.IsGenericType && p.PropertyType.GetGenericArguments().Any(PersonalTypes.Contains))
            || (p.Name.EndsWith("Keys", StringComparison.Ordinal) && p.PropertyType == typeof(IReadOnlyList<string>)));
}
