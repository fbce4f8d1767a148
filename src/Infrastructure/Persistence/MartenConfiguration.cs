using System.Data.Common;
using CustomerInfo.Application.Common.Mail;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Import;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using JasperFx.OpenTelemetry;
using Marten;
using Marten.Schema;
using Marten.Services;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace CustomerInfo.Infrastructure.Persistence;

internal static class MartenConfiguration
{
    public const string SchemaName = "customerinfo";

    /// <summary>
    /// Conjoined tenancy everywhere: every document and event row carries <c>tenant_id</c>, and a
    /// session opened for one tenant cannot see another's. Global documents opt out one by one.
    /// </summary>
    public static void Configure(StoreOptions options, string connectionString, bool applySchemaChanges)
    {
        options.Connection(WithPreparedStatements(connectionString));
        options.DatabaseSchemaName = SchemaName;
        // Every string a document or event holds reaches jsonb without a NUL, whatever rule was forgotten (ADR 33).
        var json = options.Serializer() as SystemTextJsonSerializer
            ?? throw new InvalidOperationException("Marten's serializer is expected to be System.Text.Json (JsonbSafeStrings is one of its converters).");
        json.Configure(o => o.Converters.Add(new JsonbSafeStrings()));
        options.AutoCreateSchemaObjects = applySchemaChanges ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        options.Policies.AllDocumentsAreMultiTenanted();
        options.Events.TenancyStyle = TenancyStyle.Conjoined;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        // One round trip per append instead of two (measured in STACK.md: ~40% more sign-ups per second).
        options.Events.AppendMode = EventAppendMode.Quick;
        // Who appended each event (ActorEventHeaders): a headers column on mt_events.
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Listeners.Add(new ActorEventHeaders());
        // Registering the event types puts the event store (mt_events, mt_streams) into the
        // configuration, so 'resources setup' creates it before Production appends its first event.
        options.Events.AddEventTypes(
        [
            typeof(TenantOnboarded), typeof(TenantEmailConfirmed), typeof(TenantTrialEnded), typeof(TenantSuspended),
            typeof(TenantReactivated), typeof(TenantStatusChanged), typeof(TenantRenamed), typeof(StaffPinSet), typeof(FormDefinitionPublished),
            typeof(TenantStripeCustomerLinked), typeof(TenantSubscribed), typeof(TenantPaymentFailed), typeof(TenantInvoicePaid),
            typeof(TenantGraceEnded), typeof(TenantSubscriptionEnded), typeof(TenantCustomPriceSet), typeof(TenantDataErased), typeof(TenantRetentionSet),
            typeof(TenantTwoFactorRequirementSet),
            typeof(SignUpSubmitted), typeof(SignUpLinkedToContact), typeof(ContactCreated), typeof(ContactDetailsUpdated),
            typeof(ContactAbsorbed), typeof(ContactMergedInto), typeof(SignUpRelinkedToContact),
            typeof(ShopperErased), typeof(SignUpErased), typeof(SignUpAttributedToStore),
            typeof(StoreAdded), typeof(StoreDetailsChanged), typeof(StoreClosed), typeof(StoreReopened), typeof(StoreStaffPinSet),
            typeof(KioskLinkIssued), typeof(KioskLinkRevoked), typeof(SignUpsExported),
            typeof(ConsentWithdrawn),
            typeof(SignUpPushedToCrm), typeof(CrmPushFailed), typeof(SignUpQueuedForCrm),
        ]);

        // What an erasure rewrites in the stored events (ADR 10): the events that may hold a
        // shopper's details, each replaced by itself without them.
        options.Events.AddMaskingRuleForProtectedInformation<SignUpSubmitted>(ShopperData.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<ContactCreated>(ShopperData.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<ContactDetailsUpdated>(ShopperData.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<ContactAbsorbed>(ShopperData.Erase);
        options.Events.AddMaskingRuleForProtectedInformation<ContactMergedInto>(ShopperData.Erase);

        // Spans per connection (tagged with the tenant id) and a counter of appended events, published
        // as the "Marten" ActivitySource and Meter; Web's AddObservability exports them.
        options.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        options.OpenTelemetry.TrackEventCounters();

        // The tenant document is global (the host lookup needs no tenant) while its stream lives in the
        // tenant's own conjoined tenant. Marten 9 projects such a document neither inline nor without
        // moving the stream (ADR 12): TenantFacts stores what TenantLifecycle.Evolve makes of the stream.
        options.Schema.For<Tenant>()
            .SingleTenanted()
            .UniqueIndex(t => t.Identifier)
            // The Stripe webhook finds the tenant of an event by its customer.
            .Index(t => t.StripeCustomerId);
        options.Schema.For<DataProtectionKey>().SingleTenanted();
        // Global: a mail is sent without a tenant (the apex sends mail too), and any session, a
        // tenant's included, can store one beside its own writes (ADR 13).
        options.Schema.For<QueuedMail>().SingleTenanted();
        // Billing (issue 13): what the billing run last did per tenant, for the owner console.
        options.Schema.For<Application.Billing.TenantBillingStatus>().SingleTenanted();
        // Each Stripe event once, whichever tenant it is about (ADR 0021).
        options.Schema.For<Application.Billing.RecordStripeWebhook.StripeEventRecord>().SingleTenanted();
        // How far the search for sign-ups the contact linking passed over has looked (ADR 34): one global row.
        options.Schema.For<Application.SignUps.PassedOver.PassedOverSearch>().SingleTenanted();
        // The billing run's ledger of reported days (ADR 22): the tenant's own, like the sign-ups it counts.
        options.Schema.For<Application.Billing.Usage.UsageDay>();

        // Every document type is named here, so 'resources setup' creates its table: Production
        // never creates tables on first use.
        options.Schema.For<FormDefinition>();
        options.Schema.For<Application.SignUps.FormDrafts.FormDraft>();
        options.Schema.For<StaffPin>();
        // A store's logo renditions (ADR 17): per tenant, as the kiosk serves them on the tenant's host.
        options.Schema.For<Application.Brand.BrandImage>();
        // Indexed by contact too: a merge repoints every key of the absorbed contact.
        options.Schema.For<ContactIndexEntry>().Index(e => e.ContactId);

        // The customer-list import (ADR 18): the run, the file in chunks, the contact keys it claimed.
        options.Schema.For<ImportRun>();
        options.Schema.For<ImportChunk>().Index(c => c.ImportId);
        options.Schema.For<ImportedContactKey>().Index(k => k.SignUpId);

        // The tenant's CRM connection (issue 12): settings, the secrets as one ciphertext, the mapping.
        options.Schema.For<Application.Crm.CrmConnection>();
        options.Schema.For<Application.Crm.Push.CrmHealthState>();
        options.Schema.For<Application.Crm.Push.CrmHealthMail>();
        options.Schema.For<Application.Crm.Erasure.CrmErasureRequest>();

        Accounts.AccountsConfiguration.Configure(options);
        AuditConfiguration.Configure(options);

        // A subscription that fails on an event (the worker's queue unreachable, a crash) stops and tries
        // that page again; it never skips the event into the dead-letter table, where its sign-up would
        // never be linked or pushed (ADR 19).
        options.Projections.Errors.SkipApplyErrors = false;

        // Read models kept in the same transaction as the events they come from.
        options.Projections.Add<SignUpSummaryProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ContactSummaryProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<RetailStoreProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<KioskLinkProjection>(ProjectionLifecycle.Inline);
        // Columns of their own, not JSON paths: the list, the dashboard and the export filter and order on them.
        options.Policies.ForAllDocuments(SignUpSummaryColumns);
        ConfigureContactList(options);
    }

    /// <summary>
    /// The list's search keys and order as columns of their own, each index led by tenant_id (a query
    /// always names its tenant) and, where a filter can match many rows, ending in the list's order
    /// (received_at, id): a page is the next LIMIT rows of one index, never a sort of the tenant
    /// (SignUpListIndexTests). The columns are added without Marten's own one-column indexes.
    /// </summary>
    private static void SignUpSummaryColumns(DocumentMapping mapping)
    {
        if (mapping.DocumentType != typeof(SignUpSummary))
        {
            return;
        }

        foreach (var member in new[] { nameof(SignUpSummary.ReceivedAt), nameof(SignUpSummary.StoreId), nameof(SignUpSummary.EmailKey), nameof(SignUpSummary.Phone), nameof(SignUpSummary.FirstNameKey), nameof(SignUpSummary.LastNameKey), nameof(SignUpSummary.Source), nameof(SignUpSummary.CrmStatus), nameof(SignUpSummary.CrmUpdatedAt) })
        {
            mapping.DuplicateField([typeof(SignUpSummary).GetProperty(member)!]);
        }

        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_list") { Columns = ["tenant_id", "received_at", "id"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_store") { Columns = ["tenant_id", "store_id", "received_at", "id"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_source") { Columns = ["tenant_id", "source", "received_at", "id"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_crm_status") { Columns = ["tenant_id", "crm_status", "received_at", "id"] });
        // The dashboard's "pushed today": the pushes of one status in a range of outcome times.
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_crm_updated") { Columns = ["tenant_id", "crm_status", "crm_updated_at"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_email") { Columns = ["tenant_id", "email_key"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_phone") { Columns = ["tenant_id", "phone"] });
        // text_pattern_ops: LIKE 'prefix%' seeks in the index whatever the database's collation.
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_first_name") { Columns = ["tenant_id", "first_name_key text_pattern_ops"] });
        mapping.Indexes.Add(new IndexDefinition("mt_doc_signupsummary_idx_last_name") { Columns = ["tenant_id", "last_name_key text_pattern_ops"] });
    }

    /// <summary>
    /// The contact list pages by the latest sign-up and searches names by prefix (ListContacts): its
    /// columns, and indexes that lead with the tenant, since every query names one. The name indexes
    /// compare in the "C" collation, so a prefix LIKE can use them whatever the database's collation.
    /// </summary>
    private static void ConfigureContactList(StoreOptions options)
    {
        // Each duplicated column's index, with the tenant first (Mask wraps the column's name). MergedInto
        // is a column so PostgreSQL knows how few contacts are merged, and pages by the ordered index.
        options.Schema.For<ContactSummary>()
            .Duplicate(c => c.LastSignedUpAt, configure: index => index.Mask = "tenant_id, ?, id")
            .Duplicate(c => c.MergedInto, configure: index => index.Mask = "tenant_id, ?")
            .Duplicate(c => c.NameKey, configure: index => (index.Mask, index.Collation) = ("tenant_id, ?", "C"))
            .Duplicate(c => c.LastNameKey, configure: index => (index.Mask, index.Collation) = ("tenant_id, ?", "C"));
    }

    /// <summary>
    /// Npgsql prepares the statements Marten sends most (inserts of events, streams and read
    /// models, the tenant lookups) unless the connection string says otherwise, so PostgreSQL
    /// parses and plans them once per connection instead of once per sign-up (ADR 8).
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey(nameof(builder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}

/// <summary>A Data Protection key ring entry, shared by every replica through the database.</summary>
public sealed record DataProtectionKey(string Id, string Xml);
