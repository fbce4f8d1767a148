using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerInfo.Application.Audit;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Infrastructure.Persistence;
using Marten;
using Marten.Events;

namespace CustomerInfo.UnitTests.Application.Audit;

public class AuditCatalogueTests
{
    private static readonly Guid Ann = Guid.NewGuid();
    private static readonly Guid Shop = Guid.NewGuid();

    private static List<Type> RegisteredEventTypes()
    {
        var options = new StoreOptions();
        MartenConfiguration.Configure(options, "Host=localhost;Database=none", applySchemaChanges: false);
        // Ours only: Marten's own (its Archived marker) are not the team's actions.
        return ((EventGraph)options.Events).AllKnownEventTypes().Select(e => e.EventType).Where(t => t.Assembly == typeof(MemberJoined).Assembly).ToList();
    }

    [Fact]
    public void Every_event_type_registered_with_Marten_is_either_audited_or_marked_as_not_audited()
    {
        var registered = RegisteredEventTypes();
        registered.ShouldContain(typeof(MemberRoleChanged));
        registered.ShouldContain(typeof(CrmConnected));

        var forgotten = registered.Where(t => !AuditCatalogue.Audited.ContainsKey(t) && !AuditCatalogue.NotAudited.ContainsKey(t)).Select(t => t.Name).ToList();

        forgotten.ShouldBeEmpty("add each to AuditCatalogue.Audited, or to NotAudited with the reason");
    }

    [Fact]
    public void No_type_is_both_audited_and_not_and_the_catalogue_names_only_registered_types()
    {
        var registered = RegisteredEventTypes();
        AuditCatalogue.Audited.Keys.Intersect(AuditCatalogue.NotAudited.Keys).ShouldBeEmpty();
        AuditCatalogue.Audited.Keys.Concat(AuditCatalogue.NotAudited.Keys).Where(t => !registered.Contains(t)).ShouldBeEmpty();
    }

    [Fact]
    public void No_shoppers_event_is_audited()
    {
        Type[] shoppers = [typeof(SignUpSubmitted), typeof(ContactCreated), typeof(ContactDetailsUpdated), typeof(ContactAbsorbed), typeof(ContactMergedInto), typeof(SignUpLinkedToContact)];
        shoppers.ShouldAllBe(t => AuditCatalogue.NotAudited.ContainsKey(t));
    }

    [Fact]
    public void Every_action_category_has_events_and_the_sign_ins_and_two_factor_contracts_are_mapped()
    {
        Enum.GetValues<AuditCategory>().ShouldAllBe(c => AuditCatalogue.TypesOf(c).Length > 0);
        AuditCatalogue.Audited[typeof(MemberSignedIn)].Category.ShouldBe(AuditCategory.SignIns);
        AuditCatalogue.Audited[typeof(MemberTwoFactorEnabled)].Category.ShouldBe(AuditCategory.Security);
        AuditCatalogue.Audited[typeof(CustomerInfo.Domain.Tenants.TenantTwoFactorRequirementSet)].Category.ShouldBe(AuditCategory.Security);
        AuditCatalogue.Audited[typeof(SignUpsExported)].Category.ShouldBe(AuditCategory.Exports);
        AuditCatalogue.Audited[typeof(CrmMappingSaved)].Category.ShouldBe(AuditCategory.Crm);
    }

    public static TheoryData<string> Languages() => ["en", "nl"];

    /// <summary>Every entry, from an event with nothing set, says a sentence in both languages (a missing resource throws).</summary>
    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_catalogued_event_has_a_sentence_in_each_language(string language)
    {
        var names = Names(language);
        foreach (var (type, action) in AuditCatalogue.Audited)
        {
            var sentence = action.Describe(RuntimeHelpers.GetUninitializedObject(type), names);
            sentence.ShouldNotBeNullOrWhiteSpace(type.Name);
            sentence.ShouldNotContain("{", customMessage: type.Name);
        }
    }

    [Fact]
    public void The_Dutch_sentences_are_Dutch()
    {
        var changed = new MemberRoleChanged(Ann, TeamRole.Staff, TeamRole.Manager, DateTimeOffset.UnixEpoch);
        var action = AuditCatalogue.Audited[typeof(MemberRoleChanged)];

        action.Describe(changed, Names("en")).ShouldBe("Changed the role of ann@example.com from Staff to Manager");
        action.Describe(changed, Names("nl")).ShouldBe("Wijzigde de rol van ann@example.com van Medewerker naar Manager");
    }

    [Fact]
    public void A_member_who_left_is_a_former_member_and_no_address_is_kept_for_them()
    {
        var gone = Guid.NewGuid();
        var sentence = AuditCatalogue.Audited[typeof(MemberRemoved)].Describe(new MemberRemoved(gone, DateTimeOffset.UnixEpoch), Names("en"));

        sentence.ShouldBe("Removed a former member from the team");
        Names("en").Actor("member:" + gone, null).ShouldBe("a former member");
        Names("en").Actor("member:" + Ann, null).ShouldBe("ann@example.com");
        Names("en").Actor("platform-owner", null).ShouldBe("CustomerInfo (the platform)");
        Names("en").Actor("system:retention", null).ShouldBe("Automatic (the system)");
        Names("en").Actor(null, Ann).ShouldBe("ann@example.com");
        Names("en").Actor(null, null).ShouldBe("Not recorded");
        Names("en").Actor("something else", null).ShouldBe("Not recorded");
    }

    [Fact]
    public void An_exports_filter_is_told_in_the_pages_language_with_the_stores_name()
    {
        var exported = new SignUpsExported(Guid.NewGuid(), $"from 2026-01-01, store {Shop:D}, email consent yes", Searched: true, 12, Completed: true, DateTimeOffset.UnixEpoch);
        var action = AuditCatalogue.Audited[typeof(SignUpsExported)];

        action.Describe(exported, Names("en")).ShouldBe("Exported the sign-ups (from 2026-01-01, store Amsterdam, email consent: yes): 12 in the file. With a search, which the log does not keep.");
        action.Describe(exported with { Filter = "all sign-ups", Searched = false, Completed = false }, Names("nl")).ShouldBe("Begon een export van de aanmeldingen (alle aanmeldingen) die na 12 afbrak.");
        AuditCatalogue.ExportFilter("something new", Names("en")).ShouldBe("something new");
    }

    [Fact]
    public void An_erasure_shows_once_though_each_absorbed_contact_has_its_copy()
    {
        var contact = Guid.NewGuid();
        var action = AuditCatalogue.Audited[typeof(ShopperErased)];

        action.Shows!(new ShopperErased(contact, contact, [Guid.NewGuid()], "Manager", DateTimeOffset.UnixEpoch)).ShouldBeTrue();
        action.Shows!(new ShopperErased(Guid.NewGuid(), contact, [Guid.NewGuid()], "Manager", DateTimeOffset.UnixEpoch)).ShouldBeFalse();
        action.Describe(new ShopperErased(contact, contact, [Guid.NewGuid(), Guid.NewGuid()], "Manager", DateTimeOffset.UnixEpoch), Names("en")).ShouldBe("Erased a shopper's details (2 sign-ups)");
    }

    [Fact]
    public void A_kiosk_links_token_is_never_in_its_sentence()
    {
        var issued = new KioskLinkIssued(Shop, Guid.NewGuid(), "secret-token-123", "Till 1", DateTimeOffset.UnixEpoch);

        var sentence = AuditCatalogue.Audited[typeof(KioskLinkIssued)].Describe(issued, Names("en"));

        sentence.ShouldBe("Made the kiosk link “Till 1” for the store Amsterdam");
        sentence.ShouldNotContain("secret-token-123");
    }

    private static AuditNames Names(string language) => new(
        new AuditText(CultureInfo.GetCultureInfo(language)),
        new Dictionary<Guid, TeamMember> { [Ann] = new() { Id = Ann, Email = "ann@example.com" } },
        new Dictionary<Guid, RetailStore> { [Shop] = new() { Id = Shop, Name = "Amsterdam" } },
        StoreTimeZones.Find(StoreTimeZones.Default));
}
