using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// Push the contacts behind up to <see cref="MaxSignUps"/> sign-ups of one tenant, as they are now, to
/// its CRM: the job on the <c>crm</c> queue that the contact-linking subscription queues once per tenant
/// per page of the event log (ADR 19). Ids only. <see cref="Trigger"/> and <see cref="Attempt"/> are the
/// batch's (see <see cref="PushSignUpToCrmCommand"/>); a retry is a new, smaller batch of the sign-ups the
/// CRM asked to send later. <see cref="Store"/> and <see cref="Crm"/> only name the job in the dashboard.
/// </summary>
public sealed record PushSignUpsToCrmCommand(Guid TenantId, Guid[] SignUpIds, long Trigger = 0, int Attempt = 1, string? Store = null, string? Crm = null) : ITenantJobCommand
{
    /// <summary>The most sign-ups one job carries; a bigger group is split (<see cref="Of"/>).</summary>
    public const int MaxSignUps = 100;

    /// <summary>The jobs for <paramref name="signUpIds"/>, at most <see cref="MaxSignUps"/> each.</summary>
    public static IEnumerable<PushSignUpsToCrmCommand> Of(Guid tenantId, IEnumerable<Guid> signUpIds, string? store, string? crm) =>
        signUpIds.Distinct().Chunk(MaxSignUps).Select(ids => new PushSignUpsToCrmCommand(tenantId, ids, Store: store, Crm: crm));

    /// <summary>What the Hangfire dashboard shows, e.g. "Push 37 sign-ups of acme to HubSpot (attempt 1)": counts and short ids, no personal data.</summary>
    public override string ToString()
    {
        var what = SignUpIds.Length == 1 ? $"sign-up {SignUpIds[0].ToString("N")[..8]}…" : $"{SignUpIds.Length} sign-ups";
        return $"Push {what} of {Store ?? "store " + TenantId.ToString("N")[..8]} to {(Crm is null ? "its CRM" : CrmNames.Of(Crm))} (attempt {Attempt})";
    }
}

/// <summary>
/// One attempt to push a batch of one tenant's sign-ups (ADR 19). It reads everything fresh, with one
/// query per kind of thing (sign-up rows, contacts, the CRM's record ids, stores), calls the connector
/// once per <see cref="CrmConnectorInfo.MaxBatchSize"/> contacts, and stores every outcome in one
/// transaction. Each sign-up's outcome stays its own: pushed; asked to try later (rescheduled with the
/// others that were, as one smaller batch, after back-off or the CRM's <c>Retry-After</c>); or failed with
/// its reason (a refusal, wrong credentials, the last attempt). When any gave up, the job ends in a
/// <see cref="CrmPushGaveUpException"/> after the outcomes are stored, so it shows as failed in the dashboard.
/// </summary>
public sealed class PushSignUpsToCrmHandler(
    IDocumentSession session,
    ITenantContext tenant,
    ICrmConnectors connectors,
    ICrmSecrets secrets,
    FormDefinitions forms,
    IBackgroundJobs jobs,
    CrmHealth health,
    IOptions<CrmOptions> options,
    IClock clock) : ICommandHandler<PushSignUpsToCrmCommand>
{
    public async ValueTask<Unit> Handle(PushSignUpsToCrmCommand command, CancellationToken cancellationToken)
    {
        // No connection (or disconnected): the sign-ups stay "waiting" and are queued when one is made.
        if (command.SignUpIds.Length == 0 || await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection)
        {
            return Unit.Value;
        }

        var rows = (await session.LoadManyAsync<SignUpSummary>(cancellationToken, command.SignUpIds.Distinct()))
            .Where(s => s.ErasedAt is null && s.CrmStatus != CrmPushStatus.NotSent)
            .Select(s => new Pending(s, PushSignUpToCrmHandler.DeliveryId(connection.ConnectionId, s.Id, command.Trigger)))
            .Where(p => !(p.SignUp.CrmStatus == CrmPushStatus.Pushed && p.SignUp.CrmDeliveryId == p.DeliveryId)) // made already: a job run twice sends once
            .ToList();
        if (rows.Count == 0)
        {
            return Unit.Value;
        }

        var outcomes = new Outcomes(command, connection);
        if (connectors.Find(connection.Kind) is not { } connector)
        {
            outcomes.GiveUpAll(rows, new CrmProblem(CrmProblems.ConnectorGone, connection.Kind, Detail: connection.Kind));
            return await RecordAsync(outcomes, cancellationToken);
        }

        if (Settings(connection) is not { } settings)
        {
            outcomes.GiveUpAll(rows, new CrmProblem(CrmProblems.SecretsUnreadable, connection.Kind));
            return await RecordAsync(outcomes, cancellationToken);
        }

        var list = ListOf(connector.Info, settings);
        outcomes.ListId = list;
        var contacts = await ContactsAsync(rows, cancellationToken);
        var payloads = new List<(Pending Row, CrmContact Contact)>(rows.Count);
        var recordIds = await RecordIdsAsync(contacts.Values.SelectMany(c => c.SignUpIds), connection.ConnectionId, cancellationToken);
        var lastPushes = await LastPushesAsync(contacts.Values.SelectMany(c => c.SignUpIds), connection.ConnectionId, cancellationToken);
        var stores = await StoresAsync(rows, cancellationToken);
        foreach (var row in rows)
        {
            if (row.SignUp.ContactId is not { } contactId || !contacts.TryGetValue(contactId, out var contact))
            {
                // Linking runs just before the push is queued; a row without its contact is a moment early.
                outcomes.Add(row, CrmResult.TryLater(new CrmProblem(CrmProblems.NotLinkedYet, connection.Kind)));
                continue;
            }

            var payload = await PayloadAsync(row, contact, stores, recordIds, connection.ConnectionId, cancellationToken);
            var pushes = contact.SignUpIds.Where(lastPushes.ContainsKey).Select(id => lastPushes[id]).ToList();
            payload = payload with
            {
                EmailConsent = CrmConsentRule.Decide(payload.EmailConsent, pushes, p => p.EmailConsentSent, list),
                SmsConsent = CrmConsentRule.Decide(payload.SmsConsent, pushes, p => p.SmsConsentSent),
            };
            outcomes.Marks[row.SignUp.Id] = (payload.EmailConsent.Mark, payload.SmsConsent.Mark);
            payloads.Add((row, payload));
        }

        var target = new CrmTarget(tenant.RequiredTenant.Id, connection.ConnectionId, settings, connection.Mapping);
        foreach (var chunk in payloads.Chunk(Math.Max(1, connector.Info.MaxBatchSize)))
        {
            var results = await connector.UpsertAsync(target, chunk.Select(p => p.Contact).ToList(), cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (row, pushed) = chunk[i];
                var result = results[i];
                if (result.Succeeded && connector.Info.CanMerge && pushed.Merged.Any(m => m.RecordId is not null && m.RecordId != result.RecordId))
                {
                    var survivor = pushed with { RecordId = result.RecordId ?? pushed.RecordId };
                    var merged = await connector.MergeAsync(target, new CrmMerge(survivor, pushed.Merged.Where(m => m.RecordId is not null).ToList()), cancellationToken);
                    result = merged.Succeeded ? merged with { RecordId = merged.RecordId ?? result.RecordId, EmailOptedOut = result.EmailOptedOut } : merged;
                }

                outcomes.Add(row, result);
            }
        }

        return await RecordAsync(outcomes, cancellationToken);
    }

    /// <summary>Every outcome in one transaction; then the retry of those the CRM asked to send later, the health, and the failure for the dashboard.</summary>
    private async ValueTask<Unit> RecordAsync(Outcomes outcomes, CancellationToken cancellationToken)
    {
        var command = outcomes.Command;
        var connection = outcomes.Connection;
        var now = clock.UtcNow;
        var last = command.Attempt >= options.Value.MaxAttempts;
        List<(Pending Row, CrmResult Result)> retry = last ? [] : outcomes.Failed.Where(f => f.Result.Kind == CrmResultKind.TryLater).ToList();
        var delay = retry.Count == 0 ? TimeSpan.Zero : PushSignUpToCrmHandler.Delay(options.Value, command.Attempt, retry.Max(r => r.Result.RetryAfter), Random.Shared.NextDouble());
        var gaveUp = outcomes.Failed.Except(retry).ToList();

        foreach (var (row, result) in outcomes.Pushed)
        {
            session.Events.Append(row.SignUp.Id, new SignUpPushedToCrm(row.SignUp.Id, connection.ConnectionId, connection.Kind, result.RecordId, row.DeliveryId, command.Attempt, now, outcomes.Marks.GetValueOrDefault(row.SignUp.Id).Email, outcomes.Marks.GetValueOrDefault(row.SignUp.Id).Sms, result.EmailOptedOut, outcomes.ListId));
        }

        foreach (var (row, result) in outcomes.Failed)
        {
            var next = retry.Any(r => r.Row == row) ? now + delay : (DateTimeOffset?)null;
            session.Events.Append(row.SignUp.Id, new CrmPushFailed(row.SignUp.Id, connection.ConnectionId, connection.Kind, Reason(result), row.DeliveryId, command.Attempt, next, now, result.Problem));
        }

        await session.SaveChangesAsync(cancellationToken);
        if (retry.Count > 0)
        {
            jobs.Schedule(command with { SignUpIds = [.. retry.Select(r => r.Row.SignUp.Id)], Attempt = command.Attempt + 1 }, delay, JobLane.Crm);
        }

        // One health change per batch: it reaches the CRM when any contact got through.
        if (outcomes.Pushed.Count > 0)
        {
            await health.SucceededAsync(connection, cancellationToken);
        }
        else if (outcomes.Failed.Any(f => f.Result.Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials))
        {
            await health.FailedAsync(connection, cancellationToken);
        }

        if (gaveUp.Count > 0)
        {
            var reason = Reason(gaveUp[0].Result);
            throw new CrmPushGaveUpException(command.SignUpIds.Length == 1 ? reason : $"{gaveUp.Count} of {command.SignUpIds.Length} sign-ups failed; the first: {reason}");
        }

        return Unit.Value;
    }

    /// <summary>The connection's list: the value of the connector's setting of kind <see cref="CrmSettingKind.List"/>, if it has one and it is set.</summary>
    private static string? ListOf(CrmConnectorInfo info, Dictionary<string, string> settings) =>
        info.Settings.FirstOrDefault(f => f.Kind == CrmSettingKind.List) is { } field && settings.TryGetValue(field.Key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string Reason(CrmResult result) => result.Reason ?? "The CRM refused the contact.";

    private Dictionary<string, string>? Settings(CrmConnection connection)
    {
        var all = new Dictionary<string, string>(connection.Settings, StringComparer.Ordinal);
        if (connection.ProtectedSecrets is { } protectedSecrets)
        {
            if (secrets.Unprotect(tenant.RequiredTenant.Id, protectedSecrets) is not { } plain)
            {
                return null;
            }

            foreach (var (key, value) in plain)
            {
                all[key] = value;
            }
        }

        return all;
    }

    /// <summary>The rows' contacts as they are now (one query; a merged one is followed to its survivor), by the id the row names.</summary>
    private async Task<Dictionary<Guid, ContactSummary>> ContactsAsync(IEnumerable<Pending> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.SignUp.ContactId).OfType<Guid>().Distinct().ToList();
        var found = new Dictionary<Guid, ContactSummary>();
        if (ids.Count == 0)
        {
            return found;
        }

        foreach (var contact in await session.LoadManyAsync<ContactSummary>(cancellationToken, ids))
        {
            found[contact.Id] = contact.MergedInto is null ? contact : await session.LoadCurrentAsync(contact.Id, cancellationToken) ?? contact;
        }

        return found;
    }

    /// <summary>The CRM's id of each contact (by sign-up id), from the last push of any of its sign-ups to this connection: one query.</summary>
    private async Task<Dictionary<Guid, (string RecordId, DateTimeOffset? At)>> RecordIdsAsync(IEnumerable<Guid> signUpIds, Guid connectionId, CancellationToken cancellationToken)
    {
        var ids = signUpIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var pushed = await session.Query<SignUpSummary>()
            .Where(s => s.Id.IsOneOf(ids) && s.CrmConnectionId == connectionId && s.CrmRecordId != null)
            .Select(s => new { s.Id, s.CrmRecordId, s.CrmUpdatedAt })
            .ToListAsync(cancellationToken);
        return pushed.ToDictionary(p => p.Id, p => (p.CrmRecordId!, p.CrmUpdatedAt));
    }

    /// <summary>
    /// The last successful push to this connection of each of these sign-ups (by sign-up id), with the consent acts
    /// it carried: one query. Pushes stored before 2026-12-03 are found through the row's last outcome.
    /// </summary>
    private async Task<Dictionary<Guid, CrmLastPush>> LastPushesAsync(IEnumerable<Guid> signUpIds, Guid connectionId, CancellationToken cancellationToken)
    {
        var ids = signUpIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var pushed = await session.Query<SignUpSummary>()
            .Where(s => s.Id.IsOneOf(ids) && (s.CrmPushedConnectionId == connectionId || (s.CrmPushedConnectionId == null && s.CrmStatus == CrmPushStatus.Pushed && s.CrmConnectionId == connectionId)))
            .Select(s => new { s.Id, s.CrmPushedAt, s.CrmUpdatedAt, s.CrmEmailConsentSent, s.CrmSmsConsentSent, s.CrmPushedListId })
            .ToListAsync(cancellationToken);
        return pushed
            .Where(p => (p.CrmPushedAt ?? p.CrmUpdatedAt) is not null)
            .ToDictionary(p => p.Id, p => new CrmLastPush((p.CrmPushedAt ?? p.CrmUpdatedAt)!.Value, p.CrmEmailConsentSent, p.CrmSmsConsentSent, p.CrmPushedListId));
    }

    private static string? RecordIdOf(IEnumerable<Guid> signUpIds, Dictionary<Guid, (string RecordId, DateTimeOffset? At)> recordIds) =>
        signUpIds.Where(recordIds.ContainsKey).Select(id => recordIds[id]).OrderByDescending(r => r.At).Select(r => r.RecordId).FirstOrDefault();

    private async Task<Dictionary<Guid, RetailStore>> StoresAsync(IEnumerable<Pending> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.SignUp.StoreId).OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : (await session.LoadManyAsync<RetailStore>(cancellationToken, ids)).ToDictionary(s => s.Id);
    }

    private async Task<CrmContact> PayloadAsync(Pending row, ContactSummary contact, Dictionary<Guid, RetailStore> stores, Dictionary<Guid, (string RecordId, DateTimeOffset? At)> recordIds, Guid connectionId, CancellationToken cancellationToken)
    {
        var signUp = row.SignUp;
        var form = await forms.VersionAsync(tenant.RequiredTenant, signUp.FormVersion, cancellationToken);
        var answers = (signUp.Answers ?? [])
            .Select(a => new CrmAnswer(a.QuestionKey, form.Questions.FirstOrDefault(q => q.Key == a.QuestionKey)?.Label.In(signUp.Language) ?? a.QuestionKey, a.Values))
            .ToList();
        var store = signUp.StoreId is { } storeId ? stores.GetValueOrDefault(storeId) : null;
        var shopper = contact.Shopper;
        return new CrmContact(
            row.DeliveryId,
            signUp.Id,
            contact.Id,
            RecordIdOf(contact.SignUpIds, recordIds),
            shopper.Email,
            shopper.Phone,
            shopper.FirstName,
            shopper.LastName,
            shopper.Birthday,
            shopper.PostalCode,
            signUp.Language,
            store?.Name,
            CrmConsent.Of(contact.EmailConsent, contact.EmailConsentWithdrawnAt),
            CrmConsent.Of(contact.SmsConsent, contact.SmsConsentWithdrawnAt),
            answers,
            signUp.FilledAt,
            signUp.ReceivedAt,
            signUp.ReceivedAt - signUp.FilledAt > PushSignUpToCrmHandler.LateAfter,
            signUp.Source,
            await MergedAsync(contact, signUp.Id, connectionId, cancellationToken));
    }

    /// <summary>The contacts this sign-up showed to be the same shopper (merged by it), with their CRM records where they were pushed.</summary>
    private async Task<IReadOnlyList<CrmMergedContact>> MergedAsync(ContactSummary contact, Guid signUpId, Guid connectionId, CancellationToken cancellationToken)
    {
        if (contact.AbsorbedContactIds.Count == 0)
        {
            return [];
        }

        var absorbed = (await session.Events.FetchStreamAsync(contact.Id, token: cancellationToken))
            .Select(e => e.Data).OfType<ContactAbsorbed>().Where(a => a.CausedBySignUpId == signUpId).ToList();
        if (absorbed.Count == 0)
        {
            return [];
        }

        var recordIds = await RecordIdsAsync(absorbed.SelectMany(a => a.Absorbed.SignUpIds), connectionId, cancellationToken);
        return absorbed.Select(a => new CrmMergedContact(a.Absorbed.ContactId, a.Absorbed.Shopper.Email, RecordIdOf(a.Absorbed.SignUpIds, recordIds))).ToList();
    }

    private sealed record Pending(SignUpSummary SignUp, string DeliveryId);

    /// <summary>What the CRM made of each sign-up of the batch.</summary>
    private sealed class Outcomes(PushSignUpsToCrmCommand command, CrmConnection connection)
    {
        public PushSignUpsToCrmCommand Command => command;

        public CrmConnection Connection => connection;

        public List<(Pending Row, CrmResult Result)> Pushed { get; } = [];

        public List<(Pending Row, CrmResult Result)> Failed { get; } = [];

        /// <summary>The connection's list the batch was pushed with (its setting of kind <see cref="CrmSettingKind.List"/>), stored with each success.</summary>
        public string? ListId { get; set; }

        /// <summary>The consent acts each sign-up's payload carried (<see cref="CrmConsent.Mark"/>), stored with its success.</summary>
        public Dictionary<Guid, (string? Email, string? Sms)> Marks { get; } = [];

        public void Add(Pending row, CrmResult result)
        {
            if (result.Succeeded)
            {
                Pushed.Add((row, result));
            }
            else
            {
                Failed.Add((row, result));
            }
        }

        public void GiveUpAll(IEnumerable<Pending> rows, CrmProblem problem) => Failed.AddRange(rows.Select(r => (r, CrmResult.Refused(problem))));
    }
}
