using System.Text.RegularExpressions;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;

namespace CustomerInfo.Application.Audit;

/// <param name="Category">The action filter's group.</param>
/// <param name="Describe">The sentence, from the event's ids and flags and the names looked up now; never a shopper's data.</param>
/// <param name="Self">The member the event is about, who acted when no actor was recorded (a sign-in, accepting an invitation).</param>
/// <param name="Shows">False for the copies of one action that would only repeat it (an erasure's events on absorbed contacts).</param>
public sealed record AuditAction(AuditCategory Category, Func<object, AuditNames, string> Describe, Func<object, Guid?>? Self = null, Func<object, bool>? Shows = null);

/// <summary>
/// Which stored events the audit log shows, and how (ADR 26). Every event type registered with Marten
/// is either here or in <see cref="NotAudited"/> with the reason (a unit test holds every new one to
/// that). The log shows only these sentences, never an event's data as such, so nothing a shopper gave
/// appears in it and an erasure leaves nothing of them behind.
/// </summary>
public static partial class AuditCatalogue
{
    public static readonly IReadOnlyDictionary<Type, AuditAction> Audited = new Dictionary<Type, AuditAction>
    {
        // Sign-ins and two-factor settings: the member's own stream; the member is who did it.
        [typeof(MemberSignedIn)] = On<MemberSignedIn>(AuditCategory.SignIns, (e, n) => n.Say(e.WithSecondFactor ? "SignedInWithSecondFactor" : "SignedIn"), e => e.MemberId),
        [typeof(MemberRecoveryCodeUsed)] = On<MemberRecoveryCodeUsed>(AuditCategory.SignIns, (e, n) => n.Say("RecoveryCodeUsed", e.CodesLeft), e => e.MemberId),
        [typeof(MemberPasswordChanged)] = On<MemberPasswordChanged>(AuditCategory.Security, (e, n) => n.Say("PasswordChanged", n.Member(e.MemberId)), e => e.MemberId),
        [typeof(MemberTwoFactorEnabled)] = On<MemberTwoFactorEnabled>(AuditCategory.Security, (e, n) => n.Say("TwoFactorEnabled", n.Member(e.MemberId)), e => e.MemberId),
        [typeof(MemberTwoFactorDisabled)] = On<MemberTwoFactorDisabled>(AuditCategory.Security, (e, n) => n.Say("TwoFactorDisabled", n.Member(e.MemberId)), e => e.MemberId),
        [typeof(MemberRecoveryCodesRenewed)] = On<MemberRecoveryCodesRenewed>(AuditCategory.Security, (e, n) => n.Say("RecoveryCodesRenewed", n.Member(e.MemberId)), e => e.MemberId),
        [typeof(TenantTwoFactorRequirementSet)] = On<TenantTwoFactorRequirementSet>(AuditCategory.Security, (e, n) => n.Say(e.OwnersMustUseTwoFactor ? "TwoFactorRequired" : "TwoFactorNotRequired")),

        // The team.
        [typeof(MemberJoined)] = On<MemberJoined>(AuditCategory.Team, (e, n) => n.Say("MemberJoined", n.Member(e.MemberId), n.Role(e.Role)), e => e.MemberId),
        [typeof(MemberEmailConfirmed)] = On<MemberEmailConfirmed>(AuditCategory.Team, (e, n) => n.Say("MemberEmailConfirmed", n.Member(e.MemberId)), e => e.MemberId),
        [typeof(MemberRoleChanged)] = On<MemberRoleChanged>(AuditCategory.Team, (e, n) => n.Say("MemberRoleChanged", n.Member(e.MemberId), n.Role(e.From), n.Role(e.To))),
        [typeof(MemberRemoved)] = On<MemberRemoved>(AuditCategory.Team, (e, n) => n.Say("MemberRemoved", n.Member(e.MemberId))),
        [typeof(MemberInvited)] = On<MemberInvited>(AuditCategory.Team, (e, n) => n.Say("MemberInvited", n.Role(e.Role), n.Day(e.ExpiresAt))),
        [typeof(InvitationRevoked)] = On<InvitationRevoked>(AuditCategory.Team, (e, n) => n.Say("InvitationRevoked")),

        // Exports: the filter's description never holds what was searched for.
        [typeof(SignUpsExported)] = On<SignUpsExported>(AuditCategory.Exports, (e, n) =>
            n.Say(e.Completed ? "SignUpsExported" : "SignUpsExportBrokeOff", e.Rows, ExportFilter(e.Filter, n)) + (e.Searched ? " " + n.Say("ExportSearched") : "")),

        // Erasures and privacy: counts and channels, never who the shopper was.
        [typeof(ShopperErased)] = On<ShopperErased>(AuditCategory.Privacy, (e, n) => n.Say("ShopperErased", e.SignUpIds?.Count ?? 0), shows: e => e.ContactId == e.ShopperContactId),
        [typeof(ConsentWithdrawn)] = On<ConsentWithdrawn>(AuditCategory.Privacy, (e, n) => n.Say(e.Channel == ConsentChannel.Sms ? "SmsConsentWithdrawn" : "EmailConsentWithdrawn")),
        [typeof(TenantRetentionSet)] = On<TenantRetentionSet>(AuditCategory.Privacy, (e, n) => e.Months is { } months ? n.Say("RetentionSet", months) : n.Say("RetentionUntilErased")),
        [typeof(TenantDataErased)] = On<TenantDataErased>(AuditCategory.Privacy, (e, n) => n.Say("TenantDataErased", e.ContactsErased)),

        [typeof(FormDefinitionPublished)] = On<FormDefinitionPublished>(AuditCategory.Form, (e, n) => n.Say("FormPublished", e.Version)),

        // Stores and kiosk links (a link's token is a credential: never shown).
        [typeof(TenantRenamed)] = On<TenantRenamed>(AuditCategory.Stores, (e, n) => n.Say("TenantRenamed", e.Name)),
        [typeof(StaffPinSet)] = On<StaffPinSet>(AuditCategory.Stores, (e, n) => n.Say("StaffPinSet")),
        [typeof(StoreAdded)] = On<StoreAdded>(AuditCategory.Stores, (e, n) => n.Say("StoreAdded", e.Name)),
        [typeof(StoreDetailsChanged)] = On<StoreDetailsChanged>(AuditCategory.Stores, (e, n) => n.Say("StoreDetailsChanged", e.Name)),
        [typeof(StoreClosed)] = On<StoreClosed>(AuditCategory.Stores, (e, n) => n.Say("StoreClosed", n.Store(e.StoreId))),
        [typeof(StoreReopened)] = On<StoreReopened>(AuditCategory.Stores, (e, n) => n.Say("StoreReopened", n.Store(e.StoreId))),
        [typeof(StoreStaffPinSet)] = On<StoreStaffPinSet>(AuditCategory.Stores, (e, n) => n.Say("StoreStaffPinSet", n.Store(e.StoreId))),
        [typeof(KioskLinkIssued)] = On<KioskLinkIssued>(AuditCategory.Stores, (e, n) => n.Say("KioskLinkIssued", e.Label, n.Store(e.StoreId))),
        [typeof(KioskLinkRevoked)] = On<KioskLinkRevoked>(AuditCategory.Stores, (e, n) => n.Say("KioskLinkRevoked", n.Store(e.StoreId))),

        // CRM settings: the connector's name only.
        [typeof(CrmConnected)] = On<CrmConnected>(AuditCategory.Crm, (e, n) => n.Say("CrmConnected", CrmName(e.Crm, n))),
        [typeof(CrmSettingsChanged)] = On<CrmSettingsChanged>(AuditCategory.Crm, (e, n) => n.Say(e.NewSecrets ? "CrmSecretsRenewed" : "CrmSettingsChanged", CrmName(e.Crm, n))),
        [typeof(CrmMappingSaved)] = On<CrmMappingSaved>(AuditCategory.Crm, (e, n) => n.Say("CrmMappingSaved", CrmName(e.Crm, n), e.Fields)),
        [typeof(CrmDisconnected)] = On<CrmDisconnected>(AuditCategory.Crm, (e, n) => n.Say("CrmDisconnected", CrmName(e.Crm, n))),
        [typeof(CrmHistorySent)] = On<CrmHistorySent>(AuditCategory.Crm, (e, n) => n.Say("CrmHistorySent", CrmName(e.Crm, n))),

        // The account and its billing.
        [typeof(TenantOnboarded)] = On<TenantOnboarded>(AuditCategory.Billing, (e, n) => e.TrialEndsAt is { } ends ? n.Say("TenantOnboardedWithTrial", n.Day(ends)) : n.Say("TenantOnboarded")),
        [typeof(TenantEmailConfirmed)] = On<TenantEmailConfirmed>(AuditCategory.Billing, (e, n) => n.Say("TenantEmailConfirmed")),
        [typeof(TenantTrialEnded)] = On<TenantTrialEnded>(AuditCategory.Billing, (e, n) => n.Say("TenantTrialEnded")),
        [typeof(TenantSuspended)] = On<TenantSuspended>(AuditCategory.Billing, (e, n) => n.Say("TenantSuspended")),
        [typeof(TenantReactivated)] = On<TenantReactivated>(AuditCategory.Billing, (e, n) => n.Say("TenantReactivated")),
        [typeof(TenantSubscribed)] = On<TenantSubscribed>(AuditCategory.Billing, (e, n) => n.Say("TenantSubscribed", e.PlanId)),
        [typeof(TenantPaymentFailed)] = On<TenantPaymentFailed>(AuditCategory.Billing, (e, n) => n.Say("TenantPaymentFailed", n.Day(e.GraceEndsAt))),
        [typeof(TenantInvoicePaid)] = On<TenantInvoicePaid>(AuditCategory.Billing, (e, n) => n.Say("TenantInvoicePaid")),
        [typeof(TenantGraceEnded)] = On<TenantGraceEnded>(AuditCategory.Billing, (e, n) => n.Say("TenantGraceEnded")),
        [typeof(TenantSubscriptionEnded)] = On<TenantSubscriptionEnded>(AuditCategory.Billing, (e, n) => n.Say("TenantSubscriptionEnded")),
        [typeof(TenantCustomPriceSet)] = On<TenantCustomPriceSet>(AuditCategory.Billing, (e, n) => n.Say(e.StorePriceId is null ? "TenantPlanPrice" : "TenantCustomPriceSet")),
    };

    /// <summary>Registered event types the log leaves out on purpose, each with why.</summary>
    public static readonly IReadOnlyDictionary<Type, string> NotAudited = new Dictionary<Type, string>
    {
        [typeof(SignUpSubmitted)] = "a shopper's sign-up: their personal data, and no team member's action",
        [typeof(SignUpAttributedToStore)] = "the kiosk's bookkeeping of a shopper's sign-up",
        [typeof(SignUpLinkedToContact)] = "the system linking a shopper's sign-up to a contact",
        [typeof(ContactCreated)] = "a shopper's details",
        [typeof(ContactDetailsUpdated)] = "a shopper's details",
        [typeof(ContactAbsorbed)] = "the system merging two contacts of one shopper",
        [typeof(ContactMergedInto)] = "the system merging two contacts of one shopper",
        [typeof(SignUpRelinkedToContact)] = "the system merging two contacts of one shopper",
        [typeof(SignUpErased)] = "one per sign-up of an erasure; ShopperErased says it once",
        [typeof(SignUpPushedToCrm)] = "the CRM push of one sign-up; the sign-up's page shows it",
        [typeof(CrmPushFailed)] = "the CRM push of one sign-up; the sign-up's page shows it",
        [typeof(SignUpQueuedForCrm)] = "the CRM push of one sign-up; the sign-up's page shows it",
        [typeof(TenantStatusChanged)] = "no longer appended; the lifecycle events say the same",
        [typeof(TenantStripeCustomerLinked)] = "Stripe's bookkeeping, done once by the system before the first checkout",
    };

    /// <summary>The catalogued types of one category, or every catalogued type.</summary>
    public static Type[] TypesOf(AuditCategory? category) =>
        [.. Audited.Where(a => category is null || a.Value.Category == category).Select(a => a.Key)];

    private static AuditAction On<T>(AuditCategory category, Func<T, AuditNames, string> describe, Func<T, Guid?>? self = null, Func<T, bool>? shows = null) =>
        new(category, (data, names) => describe((T)data, names), self is null ? null : data => self((T)data), shows is null ? null : data => shows((T)data));

    private static string CrmName(string? kind, AuditNames n) => kind == Crm.CrmNames.Webhook ? n.Say("CrmWebhook") : Crm.CrmNames.DisplayName(kind ?? "CRM");

    /// <summary>
    /// The export's filter (SignUpFilter.DescribeWithoutSearch: "from 2024-09-01, store {id}, email consent yes")
    /// in the page's language, a store by its name. A part it does not know is shown as stored.
    /// </summary>
    internal static string ExportFilter(string? filter, AuditNames n)
    {
        if (string.IsNullOrWhiteSpace(filter) || filter == "all sign-ups")
        {
            return n.Say("FilterAll");
        }

        return string.Join(", ", filter.Split(", ").Select(part => FilterPart().Match(part) is { Success: true } match
            ? n.Say("Filter_" + match.Groups["name"].Value.Replace(' ', '_'), Value(match.Groups["name"].Value, match.Groups["value"].Value, n))
            : part));
    }

    private static string Value(string name, string value, AuditNames n) => name switch
    {
        "store" when Guid.TryParse(value, out var store) => n.Store(store),
        "email consent" or "SMS consent" => n.Say(value == "yes" ? "FilterYes" : "FilterNo"),
        _ => value,
    };

    [GeneratedRegex("^(?<name>from|to|store|email consent|SMS consent|source|push status) (?<value>.+)$")]
    private static partial Regex FilterPart();
}
