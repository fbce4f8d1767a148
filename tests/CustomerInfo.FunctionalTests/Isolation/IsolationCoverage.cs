using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Import.UploadImport;
using CustomerInfo.Application.SignUps.FormDrafts;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>Who a route or request belongs to.</summary>
public enum Tenancy
{
    /// <summary>The apex (landing, onboarding, owner console, Hangfire): no store's data without the platform owner.</summary>
    Platform,

    /// <summary>A store's admin on its own host, behind a member of that store.</summary>
    Tenant,

    /// <summary>A store's public kiosk on its own host (sign-up form, kiosk links, logos).</summary>
    Kiosk,

    /// <summary>Any host, anyone: status pages, health, metrics, webhooks, sign-in and token pages.</summary>
    Public,
}

/// <summary>The kinds of id a tenant owns; <see cref="TenantIds.Of"/> gives a real one of each.</summary>
public enum IdKind
{
    Store,
    KioskLink,
    KioskToken,
    SignUp,
    Contact,
    Import,
    Member,
    Invitation,
    Logo,
}

/// <summary>
/// One route pattern: its tenancy, and which of its route values, query or form fields are ids a tenant
/// owns (each tried with another tenant's id). <paramref name="NoHostile"/>: why the hostile suite leaves it out.
/// </summary>
public sealed record RouteCoverage(Tenancy Tenancy, IReadOnlyDictionary<string, IdKind> Ids, string? NoHostile = null)
{
    public RouteCoverage With(string name, IdKind kind) => this with { Ids = new Dictionary<string, IdKind>(Ids, StringComparer.OrdinalIgnoreCase) { [name] = kind } };

    public RouteCoverage WithoutHostile(string reason) => this with { NoHostile = reason };
}

/// <summary>How the matrix sends a mediator request (see <see cref="IsolationCoverage.Requests"/>).</summary>
public enum RequestIsolation
{
    /// <summary>A member's request: sent as tenant B's Owner in B's scope with A's ids; must find nothing of A.</summary>
    Tenant,

    /// <summary>Anyone's request (kiosk, sign-in, tokens): sent anonymously in B's scope with A's ids.</summary>
    Public,

    /// <summary>The platform owner's request: sent as B's Owner it must be refused.</summary>
    Platform,

    /// <summary>A job for one tenant: run by the real job entry point for tenant B with A's ids.</summary>
    TenantJob,

    /// <summary>Work only the system sends, in a tenant's scope: sent as the system in B's scope with A's ids.</summary>
    System,

    /// <summary>Not sent, with the reason: work over every tenant by design, or ids that belong to no tenant.</summary>
    NotTenantOwned,
}

/// <param name="Build">How to make the request when the generic builder cannot (null: built from its constructor, ids by parameter name).</param>
/// <param name="Reason">For <see cref="RequestIsolation.NotTenantOwned"/>: why it is not sent.</param>
public sealed record RequestCoverage(RequestIsolation Isolation, Func<TenantIds, TenantIds, object>? Build = null, string? Reason = null);

/// <summary>
/// The one declarative table of the tenant-isolation matrix and the hostile-input suite. The tests
/// read the app's endpoints (<c>EndpointDataSource</c>), its mediator requests and its jobs, and fail
/// when one has no line here, or a line names something that is gone. Covering a new page or request
/// is one line: add its route pattern (as the failure message spells it) or its type, with its tenancy
/// and, for a route, <c>.With("field", IdKind.X)</c> for each id a tenant owns that it reads from the
/// route, the query or the form.
/// </summary>
public static class IsolationCoverage
{
    private static readonly RouteCoverage Platform = new(Tenancy.Platform, new Dictionary<string, IdKind>());
    private static readonly RouteCoverage Tenant = new(Tenancy.Tenant, new Dictionary<string, IdKind>());
    private static readonly RouteCoverage Kiosk = new(Tenancy.Kiosk, new Dictionary<string, IdKind>());
    private static readonly RouteCoverage Public = new(Tenancy.Public, new Dictionary<string, IdKind>());

    /// <summary>Keyed "{site} {route pattern}" (site: store, platform or any), as <see cref="EndpointInventory"/> names them.</summary>
    public static readonly IReadOnlyDictionary<string, RouteCoverage> Routes = new Dictionary<string, RouteCoverage>
    {
        ["store admin"] = Tenant,
        ["store admin/billing"] = Tenant,
        ["store admin/billing/return"] = Tenant,
        ["store admin/branding"] = Tenant,
        ["store admin/confirm"] = Public,
        ["store admin/contacts"] = Tenant,
        ["store admin/contacts/{id:guid}"] = Tenant.With("id", IdKind.Contact),
        ["store admin/continue"] = Public,
        ["store admin/crm"] = Tenant.With("id", IdKind.Contact),
        ["store admin/forgot-password"] = Public,
        ["store admin/form"] = Tenant,
        ["store admin/form/preview"] = Tenant,
        ["store admin/import"] = Tenant,
        ["store admin/import/{id:guid}"] = Tenant.With("id", IdKind.Import),
        ["store admin/invitation"] = Public,
        ["store admin/privacy"] = Tenant,
        ["store admin/read-only"] = Tenant,
        ["store admin/reset-password"] = Public,
        ["store admin/signin"] = Public,
        ["store admin/signin/code"] = Public,
        ["store admin/security"] = Tenant,
        ["store admin/audit"] = Tenant,
        ["store admin/signout"] = Public.WithoutHostile("signs the visitor out, which would end the suite's session"),
        ["store admin/signups"] = Tenant,
        ["store admin/signups/export"] = Tenant,
        ["store admin/signups/{id:guid}"] = Tenant.With("id", IdKind.SignUp),
        ["store admin/stores"] = Tenant,
        ["store admin/stores/{id:guid}"] = Tenant.With("id", IdKind.Store).With("linkId", IdKind.KioskLink).With("revoke", IdKind.KioskLink),
        ["store admin/team"] = Tenant.With("memberId", IdKind.Member).With("remove", IdKind.Member).With("invitationId", IdKind.Invitation),
        ["store "] = Kiosk, // Command.SubmissionId: made up by the tablet per sign-up, not a store's data
        ["store k/{token}"] = Kiosk.With("token", IdKind.KioskToken),
        ["store thanks"] = Kiosk,
        ["store /brand/logo/{fingerprint}"] = Kiosk.With("fingerprint", IdKind.Logo),
        ["platform "] = Platform,
        ["platform dev/mail"] = Platform,
        ["platform pricing"] = Platform,
        ["platform signin"] = Platform,
        ["platform start"] = Platform,
        ["platform owner"] = Platform,
        ["platform owner/signin"] = Platform,
        ["platform owner/signout"] = Platform.WithoutHostile("signs the platform owner out, which would end the suite's session"),
        ["platform /hangfire/{**path}"] = Platform,
        ["platform /stripe/webhook"] = Public,
        ["any status/{code:int}"] = Public,
        ["any status/store-not-found"] = Public,
        ["any status/store-unavailable"] = Public,
    };

    /// <summary>Paths answered by middleware before routing (no endpoint of their own), tried on every kind of host.</summary>
    public static readonly IReadOnlyList<string> MiddlewarePaths = ["/health/live", "/health/ready", "/metrics"];

    private static readonly RequestCoverage TenantRequest = new(RequestIsolation.Tenant);
    private static readonly RequestCoverage PublicRequest = new(RequestIsolation.Public);
    private static readonly RequestCoverage PlatformRequest = new(RequestIsolation.Platform);
    private static readonly RequestCoverage TenantJob = new(RequestIsolation.TenantJob);
    private static readonly RequestCoverage SystemRequest = new(RequestIsolation.System);

    private static RequestCoverage AllTenants(string reason) => new(RequestIsolation.NotTenantOwned, Reason: reason);

    /// <summary>Every mediator request of the Application assembly, keyed by type name.</summary>
    public static readonly IReadOnlyDictionary<string, RequestCoverage> Requests = new Dictionary<string, RequestCoverage>
    {
        // Team
        ["InviteFirstOwnerCommand"] = PlatformRequest,
        ["ListTeamQuery"] = TenantRequest,
        ["RemoveMemberCommand"] = TenantRequest,
        ["RevokeInvitationCommand"] = TenantRequest,
        ["InviteMemberCommand"] = TenantRequest,
        ["ListTeamsQuery"] = PlatformRequest,
        ["GetInvitationQuery"] = PublicRequest,
        ["AcceptInvitationCommand"] = PublicRequest,
        ["ChangeMemberRoleCommand"] = TenantRequest,

        // CRM
        ["RetryCrmPushCommand"] = TenantRequest,
        ["RetryFailedCrmPushesCommand"] = TenantRequest,
        ["ListCrmErasuresQuery"] = TenantRequest,
        ["RetryCrmErasureCommand"] = TenantRequest,
        ["RetryFailedCrmErasuresCommand"] = TenantRequest,
        ["EraseShopperInCrmCommand"] = TenantJob,
        ["SaveCrmMappingCommand"] = TenantRequest,
        ["GetCrmCatalogQuery"] = TenantRequest,
        ["GetCrmConnectionQuery"] = TenantRequest,
        ["SendCrmHistoryCommand"] = TenantRequest,
        ["TestCrmConnectionCommand"] = TenantRequest,
        ["ConnectCrmCommand"] = TenantRequest,
        ["DisconnectCrmCommand"] = new(RequestIsolation.NotTenantOwned, Reason: "takes no id: it can only disconnect the acting store's own CRM, and doing so would end the push jobs' test"),
        ["PushSignUpToCrmCommand"] = TenantJob,
        ["QueueCrmPushesCommand"] = TenantJob,
        ["PushSignUpsToCrmCommand"] = TenantJob,

        // Owner, contacts, admin
        ["SignInOwnerCommand"] = PublicRequest,
        ["GetContactQuery"] = TenantRequest,
        ["GetContactDetailQuery"] = TenantRequest,
        ["LinkSignUpToContactCommand"] = SystemRequest,
        ["LinkSignUpsToContactsCommand"] = SystemRequest,
        ["ListContactsQuery"] = TenantRequest,
        ["WithdrawConsentCommand"] = TenantRequest,
        ["GetDashboardQuery"] = TenantRequest,
        ["GetOverviewQuery"] = TenantRequest,

        // Sign-ups and the form
        ["GetSignUpFormQuery"] = PublicRequest,
        ["SubmitSignUpCommand"] = PublicRequest,
        ["GetFormBuilderQuery"] = TenantRequest,
        ["SaveFormDraftCommand"] = new(RequestIsolation.Tenant, (_, b) => new SaveFormDraftCommand(FormDefinition.StarterFor("Bravo"), 1)),
        ["DiscardFormDraftCommand"] = TenantRequest,
        ["ListSignUpsQuery"] = TenantRequest,
        ["ExportSignUpsQuery"] = TenantRequest,
        ["RecordSignUpsExportCommand"] = TenantRequest,
        ["GetSignUpQuery"] = TenantRequest,
        ["PublishFormDefinitionCommand"] = new(RequestIsolation.Tenant, (_, _) => new PublishFormDefinitionCommand(FormDefinition.StarterFor("Bravo"))),

        // Shoppers
        ["ExportShopperQuery"] = TenantRequest,
        ["SetRetentionCommand"] = TenantRequest,
        ["ApplyRetentionCommand"] = AllTenants("the daily retention run over every store; each store's part is EraseExpiredShoppersCommand, a tenant job"),
        ["EraseExpiredShoppersCommand"] = TenantJob,
        ["EraseShopperCommand"] = TenantRequest,
        ["FindShopperQuery"] = TenantRequest,

        // Brand
        ["GetBrandingQuery"] = TenantRequest,
        ["SaveBrandingCommand"] = TenantRequest,
        ["UploadLogoCommand"] = TenantRequest,
        ["RemoveLogoCommand"] = TenantRequest,
        ["GetBrandImageQuery"] = PublicRequest,

        // Accounts
        ["FindMyStoresCommand"] = PublicRequest,
        ["SendStoreLinksCommand"] = AllTenants("a platform-wide request id (the apex's \"find my stores\"), which lists the stores of one email on purpose"),
        ["StartTrialCommand"] = PublicRequest,
        ["CheckResetLinkQuery"] = PublicRequest,
        ["ResetPasswordCommand"] = PublicRequest,
        ["CheckSubdomainQuery"] = PublicRequest,
        ["ContinueSignInCommand"] = PublicRequest,
        ["RequestPasswordResetCommand"] = PublicRequest,
        ["SendPasswordResetCommand"] = TenantJob,
        ["ConfirmEmailCommand"] = PublicRequest,
        ["SignInMemberCommand"] = PublicRequest,
        ["VerifySecondFactorCommand"] = PublicRequest,
        ["GetAccountSecurityCommand"] = TenantRequest,
        ["EnableTwoFactorCommand"] = TenantRequest,
        ["DisableTwoFactorCommand"] = TenantRequest,
        ["RenewRecoveryCodesCommand"] = TenantRequest,
        ["SetTwoFactorRequirementCommand"] = TenantRequest,
        ["ListAuditLogQuery"] = TenantRequest,
        ["ResendConfirmationCommand"] = TenantRequest,

        // Import
        ["ListImportsQuery"] = TenantRequest,
        ["RunImportCommand"] = TenantJob,
        ["StartImportCommand"] = TenantRequest,
        ["GetImportQuery"] = TenantRequest,
        ["ExpireUnstartedImportsCommand"] = AllTenants("the hourly run over every store's uploads nobody started; each expires in its own store's session"),
        ["FindPassedOverSignUpsCommand"] = AllTenants("the 5-minute search of the event log for sign-ups the contact linking passed over (ADR 34); each store's part is LinkPassedOverSignUpsCommand, a tenant job"),
        ["LinkPassedOverSignUpsCommand"] = TenantJob,
        ["UploadImportCommand"] = new(RequestIsolation.Tenant, (_, _) => new UploadImportCommand("b.csv", new MemoryStream("Voornaam\nBea\n"u8.ToArray()))),

        // Billing
        ["RunBillingCommand"] = AllTenants("the nightly billing run over every store (ADR: billing)"),
        ["RecordStripeWebhookCommand"] = AllTenants("a Stripe event names its customer, which the platform maps to a store; it is no request of a store"),
        ["GetBillingUsageQuery"] = TenantRequest,
        ["StartCheckoutCommand"] = TenantRequest,
        ["OpenBillingPortalCommand"] = TenantRequest,
        ["GetBillingQuery"] = TenantRequest,
        ["GetBillingOverviewQuery"] = PlatformRequest,

        // Mail and tenants
        ["SendMailCommand"] = AllTenants("the mail outbox is the platform's (QueuedMail is single-tenanted); a mail id is no store's"),
        ["EndTrialsCommand"] = AllTenants("the hourly trial check over every store"),
        ["ListTenantsQuery"] = PlatformRequest,
        ["SetStaffPinCommand"] = PlatformRequest,
        ["SuspendTenantCommand"] = PlatformRequest,
        ["EraseCanceledTenantsCommand"] = AllTenants("the daily erasure over every canceled store; each store's part is EraseTenantDataCommand"),
        ["EraseTenantDataCommand"] = new(RequestIsolation.NotTenantOwned, Reason: "takes only its own tenant's id (it erases that store when canceled, ADR 0023): no other store's id to try"),
        ["SetCustomPriceCommand"] = PlatformRequest,
        ["ReactivateTenantCommand"] = PlatformRequest,
        ["OnboardTenantCommand"] = PlatformRequest,
        ["ConfirmTenantEmailCommand"] = PlatformRequest,

        // Stores
        ["GetStoreQuery"] = TenantRequest,
        ["SetStoreStaffPinCommand"] = TenantRequest,
        ["ReopenStoreCommand"] = TenantRequest,
        ["CloseStoreCommand"] = TenantRequest,
        ["CountActiveStoresQuery"] = TenantRequest,
        ["ChangeStoreDetailsCommand"] = TenantRequest,
        ["IssueKioskLinkCommand"] = TenantRequest,
        ["RevokeKioskLinkCommand"] = TenantRequest,
        ["AddStoreCommand"] = TenantRequest,
        ["ListStoresQuery"] = TenantRequest,
    };

    /// <summary>Every recurring job id, with the command it sends (which <see cref="Requests"/> covers).</summary>
    public static readonly IReadOnlyDictionary<string, string> RecurringJobs = new Dictionary<string, string>
    {
        ["trials-ended"] = "EndTrialsCommand",
        ["billing-run"] = "RunBillingCommand",
        ["canceled-tenants-erased"] = "EraseCanceledTenantsCommand",
        ["shopper-retention"] = "ApplyRetentionCommand",
        ["unstarted-imports-expired"] = "ExpireUnstartedImportsCommand",
        ["passed-over-sign-ups"] = "FindPassedOverSignUpsCommand",
    };

    /// <summary>Which request rule (<see cref="AccessRule"/>) each isolation kind must go with: a wrong line is a failure too.</summary>
    public static bool Fits(RequestIsolation isolation, Type request, AccessRule rule) => isolation switch
    {
        RequestIsolation.Tenant => rule.Role is not null,
        RequestIsolation.Public => rule.Anyone,
        RequestIsolation.Platform => rule.PlatformOwner,
        RequestIsolation.TenantJob => typeof(Application.Common.Jobs.ITenantJobCommand).IsAssignableFrom(request),
        RequestIsolation.System => rule.System && rule.Role is null && !rule.Anyone && !rule.PlatformOwner,
        _ => true,
    };
}
