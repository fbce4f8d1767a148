using System.Security.Cryptography;
using System.Text;
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
/// One attempt to push a sign-up's contact to the tenant's CRM (ADR 19). It reads everything fresh:
/// the connection, the sign-up's row and the contact as it is now, so a retried older job sends the
/// newest consent. Its outcome is an event on the sign-up: pushed, or failed with the CRM's reason.
/// A failure the CRM may get over (down, slow, 429) schedules the next attempt itself, after
/// exponential back-off or the CRM's <c>Retry-After</c>; the last attempt, or a refusal that retrying
/// cannot change, ends in "failed" and a <see cref="CrmPushGaveUpException"/>, so the job shows as
/// failed in the Hangfire dashboard (and can be retried there, or by a Manager in the admin).
/// </summary>
public sealed class PushSignUpToCrmHandler(
    IDocumentSession session,
    ITenantContext tenant,
    ICrmConnectors connectors,
    ICrmSecrets secrets,
    FormDefinitions forms,
    IBackgroundJobs jobs,
    CrmHealth health,
    IOptions<CrmOptions> options,
    IClock clock) : ICommandHandler<PushSignUpToCrmCommand>
{
    /// <summary>A sign-up received this long after the shopper filled it in came from a tablet's offline queue.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    public async ValueTask<Unit> Handle(PushSignUpToCrmCommand command, CancellationToken cancellationToken)
    {
        // No connection (or disconnected): the sign-up stays "waiting" and is queued when one is made.
        if (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection)
        {
            return Unit.Value;
        }

        if (await session.LoadAsync<SignUpSummary>(command.SignUpId, cancellationToken) is not { } signUp
            || signUp.ErasedAt is not null
            || signUp.CrmStatus == CrmPushStatus.NotSent)
        {
            return Unit.Value;
        }

        var deliveryId = DeliveryId(connection.ConnectionId, command.SignUpId, command.Trigger);
        if (signUp.CrmStatus == CrmPushStatus.Pushed && signUp.CrmDeliveryId == deliveryId)
        {
            return Unit.Value; // this push was made already: a job run twice sends once
        }

        var attempt = new Attempt(command, connection, deliveryId);
        if (connectors.Find(connection.Kind) is not { } connector)
        {
            return await GiveUpAsync(attempt, $"The connector \"{connection.Kind}\" is no longer available; connect the CRM again.", cancellationToken);
        }

        if (Settings(connection) is not { } settings)
        {
            return await GiveUpAsync(attempt, "The CRM's credentials can no longer be read; connect the CRM again.", cancellationToken);
        }

        if (signUp.ContactId is not { } contactId || await session.LoadCurrentAsync(contactId, cancellationToken) is not { } contact)
        {
            // Linking runs just before the push is queued; a row without its contact is a moment early.
            return await RetryOrGiveUpAsync(attempt, CrmResult.TryLater("The sign-up was not linked to its contact yet."), cancellationToken);
        }

        var target = new CrmTarget(tenant.RequiredTenant.Id, connection.ConnectionId, settings, connection.Mapping);
        var pushed = await PayloadAsync(signUp, contact, deliveryId, connection.ConnectionId, cancellationToken);
        var result = (await connector.UpsertAsync(target, [pushed], cancellationToken)).Single();
        if (result.Succeeded && connector.Info.CanMerge && pushed.Merged.Any(m => m.RecordId is not null && m.RecordId != result.RecordId))
        {
            var survivor = pushed with { RecordId = result.RecordId ?? pushed.RecordId };
            var merged = await connector.MergeAsync(target, new CrmMerge(survivor, pushed.Merged.Where(m => m.RecordId is not null).ToList()), cancellationToken);
            result = merged.Succeeded ? merged with { RecordId = merged.RecordId ?? result.RecordId } : merged;
        }

        if (!result.Succeeded)
        {
            return await RetryOrGiveUpAsync(attempt, result, cancellationToken);
        }

        session.Events.Append(command.SignUpId, new SignUpPushedToCrm(command.SignUpId, connection.ConnectionId, connection.Kind, result.RecordId, deliveryId, command.Attempt, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);
        await health.SucceededAsync(connection, cancellationToken);
        return Unit.Value;
    }

    /// <summary>
    /// The id every attempt of one push carries: the same for the same connection, sign-up and
    /// change, new for a new connection (a switch of CRM) or a later change of the contact.
    /// </summary>
    public static string DeliveryId(Guid connectionId, Guid signUpId, long trigger)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{connectionId:N}:{signUpId:N}:{trigger}"));
        return "msg_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Exponential back-off from the first delay, doubled per attempt, with ±20% jitter, capped; never sooner than the CRM asked.</summary>
    public static TimeSpan Delay(CrmOptions options, int attempt, TimeSpan? retryAfter, double jitter)
    {
        var seconds = Math.Min(options.MaxRetryDelaySeconds, options.FirstRetryDelaySeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        var backOff = TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * jitter)));
        return retryAfter is { } asked && asked > backOff ? asked : backOff;
    }

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

    private async Task<CrmContact> PayloadAsync(SignUpSummary signUp, ContactSummary contact, string deliveryId, Guid connectionId, CancellationToken cancellationToken)
    {
        var form = await forms.VersionAsync(tenant.RequiredTenant, signUp.FormVersion, cancellationToken);
        var answers = (signUp.Answers ?? [])
            .Select(a => new CrmAnswer(a.QuestionKey, form.Questions.FirstOrDefault(q => q.Key == a.QuestionKey)?.Label.In(signUp.Language) ?? a.QuestionKey, a.Values))
            .ToList();
        var store = signUp.StoreId is { } storeId ? await session.LoadAsync<RetailStore>(storeId, cancellationToken) : null;
        var shopper = contact.Shopper;
        return new CrmContact(
            deliveryId,
            signUp.Id,
            contact.Id,
            await RecordIdAsync(contact.SignUpIds, connectionId, cancellationToken),
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
            signUp.ReceivedAt - signUp.FilledAt > LateAfter,
            signUp.Source,
            await MergedAsync(contact, signUp.Id, connectionId, cancellationToken));
    }

    /// <summary>The CRM's id of a contact, from the last push of any of its sign-ups to this connection.</summary>
    private async Task<string?> RecordIdAsync(IReadOnlyList<Guid> signUpIds, Guid connectionId, CancellationToken cancellationToken)
    {
        if (signUpIds.Count == 0)
        {
            return null;
        }

        var ids = signUpIds.ToArray();
        var pushed = await session.Query<SignUpSummary>()
            .Where(s => s.Id.IsOneOf(ids) && s.CrmConnectionId == connectionId && s.CrmRecordId != null)
            .OrderByDescending(s => s.CrmUpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return pushed?.CrmRecordId;
    }

    /// <summary>The contacts this sign-up showed to be the same shopper (merged by it), with their CRM records where they were pushed.</summary>
    private async Task<IReadOnlyList<CrmMergedContact>> MergedAsync(ContactSummary contact, Guid signUpId, Guid connectionId, CancellationToken cancellationToken)
    {
        if (contact.AbsorbedContactIds.Count == 0)
        {
            return [];
        }

        var history = await session.Events.FetchStreamAsync(contact.Id, token: cancellationToken);
        var merged = new List<CrmMergedContact>();
        foreach (var absorbed in history.Select(e => e.Data).OfType<ContactAbsorbed>().Where(a => a.CausedBySignUpId == signUpId))
        {
            merged.Add(new CrmMergedContact(absorbed.Absorbed.ContactId, absorbed.Absorbed.Shopper.Email, await RecordIdAsync(absorbed.Absorbed.SignUpIds, connectionId, cancellationToken)));
        }

        return merged;
    }

    private async ValueTask<Unit> RetryOrGiveUpAsync(Attempt attempt, CrmResult result, CancellationToken cancellationToken)
    {
        var reason = result.Reason ?? "The CRM refused the contact.";
        if (result.Kind != CrmResultKind.TryLater || attempt.Command.Attempt >= options.Value.MaxAttempts)
        {
            if (result.Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials)
            {
                await health.FailedAsync(attempt.Connection, cancellationToken);
            }

            return await GiveUpAsync(attempt, reason, cancellationToken);
        }

        var delay = Delay(options.Value, attempt.Command.Attempt, result.RetryAfter, Random.Shared.NextDouble());
        var now = clock.UtcNow;
        session.Events.Append(attempt.Command.SignUpId, Failed(attempt, reason, now + delay, now));
        await session.SaveChangesAsync(cancellationToken);
        jobs.Schedule(attempt.Command with { Attempt = attempt.Command.Attempt + 1 }, delay, JobLane.Crm);
        await health.FailedAsync(attempt.Connection, cancellationToken);
        return Unit.Value;
    }

    private async ValueTask<Unit> GiveUpAsync(Attempt attempt, string reason, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        session.Events.Append(attempt.Command.SignUpId, Failed(attempt, reason, null, now));
        await session.SaveChangesAsync(cancellationToken);
        throw new CrmPushGaveUpException(reason);
    }

    private static CrmPushFailed Failed(Attempt attempt, string reason, DateTimeOffset? next, DateTimeOffset now) =>
        new(attempt.Command.SignUpId, attempt.Connection.ConnectionId, attempt.Connection.Kind, reason, attempt.DeliveryId, attempt.Command.Attempt, next, now);

    private sealed record Attempt(PushSignUpToCrmCommand Command, CrmConnection Connection, string DeliveryId);
}

/// <summary>
/// A push ended in "failed" (its last attempt, or a refusal retrying cannot change); the outcome is
/// stored already. Hangfire does not retry it by itself (HangfireConfiguration), but shows it as
/// failed, with <see cref="Exception.Message"/> (the CRM's reason, without personal data).
/// </summary>
public sealed class CrmPushGaveUpException(string reason) : Exception(reason);
