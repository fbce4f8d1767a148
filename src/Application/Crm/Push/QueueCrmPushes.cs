using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// Queues the push of many sign-ups at once, in a job (a tenant may have a million): those waiting
/// for a CRM when the store connects one, every failed one when a Manager presses "retry all", or
/// the whole history for a new connection, or the sign-ups that carried an email consent when the retailer chose another
/// list (ADR 19: a shopper who consented joins the list the retailer uses now), or those the CRM refused for the connection's
/// credentials once a test shows them right (<see cref="CrmCredentialFailures"/>). Each gets <see cref="SignUpQueuedForCrm"/> (the admin shows
/// it waiting), and they are pushed in batches (<see cref="PushSignUpsToCrmCommand"/>, at most
/// <see cref="PushSignUpsToCrmCommand.MaxSignUps"/> each, every outcome its own). Running it twice is
/// safe: a push already made is not made again.
/// </summary>
public sealed record QueueCrmPushesCommand(Guid TenantId, CrmQueueReason Why) : ITenantJobCommand
{
    public override string ToString() => $"Queue CRM pushes ({Why})";
}

public sealed class QueueCrmPushesHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs, IClock clock) : ICommandHandler<QueueCrmPushesCommand>
{
    private const int PageSize = 500;

    public async ValueTask<Unit> Handle(QueueCrmPushesCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection)
        {
            return Unit.Value;
        }

        // The sign-ups received from now on are the contact-linking subscription's: it links each and
        // queues its push with the connection as it is then. Without this bound, a store taking sign-ups
        // while it connects (or sends its history) had this job chase its kiosk for as long as the load
        // lasted, racing each new sign-up's link for its stream and pushing it before its contact existed.
        var until = clock.UtcNow;
        (DateTimeOffset At, Guid Id)? after = null;
        while (true)
        {
            var query = session.Query<SignUpSummary>().Where(s => s.ErasedAt == null && s.ReceivedAt <= until);
            query = command.Why switch
            {
                CrmQueueReason.Retry => query.Where(s => s.CrmStatus == CrmPushStatus.Failed),

                // Waiting and linked: pushed while there was no connection. One not linked yet is still ahead of the subscription.
                CrmQueueReason.Connected => query.Where(s => s.CrmStatus == CrmPushStatus.Waiting && s.ContactId != null),
                CrmQueueReason.CredentialsFixed => CrmCredentialFailures.Of(query, connection.ConnectionId),

                // The sign-ups that carried an email consent to this connection: their contacts' consent, if still given, joins the new list.
                CrmQueueReason.ListChanged => query.Where(s => s.EmailConsent && (s.CrmPushedConnectionId == connection.ConnectionId || (s.CrmPushedConnectionId == null && s.CrmStatus == CrmPushStatus.Pushed && s.CrmConnectionId == connection.ConnectionId))),
                _ => query.Where(s => s.ContactId != null && s.CrmStatus != CrmPushStatus.NotSent && (s.CrmStatus != CrmPushStatus.Pushed || s.CrmConnectionId != connection.ConnectionId)),
            };
            if (after is { } cursor)
            {
                query = query.Where(s => s.ReceivedAt > cursor.At || (s.ReceivedAt == cursor.At && s.Id.CompareTo(cursor.Id) > 0));
            }

            var page = await query.OrderBy(s => s.ReceivedAt).ThenBy(s => s.Id).Select(s => new { s.Id, s.ReceivedAt }).Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return Unit.Value;
            }

            var now = clock.UtcNow;
            foreach (var signUp in page)
            {
                session.Events.Append(signUp.Id, new SignUpQueuedForCrm(signUp.Id, connection.ConnectionId, command.Why, now));
            }

            await session.SaveChangesAsync(cancellationToken);
            // Batched as the subscription's pushes are: each sign-up's outcome stays its own.
            foreach (var push in PushSignUpsToCrmCommand.Of(command.TenantId, page.Select(s => s.Id), tenant.RequiredTenant.Identifier, connection.Kind))
            {
                jobs.Enqueue(push, JobLane.Crm);
            }

            after = (page[^1].ReceivedAt, page[^1].Id);
        }
    }
}

/// <summary>
/// The sign-ups whose push failed on the connection's credentials: the CRM answered 401 or 403 (a
/// webhook receiver that did not know the secret yet, a revoked token), or a key was missing or
/// malformed. They are not retried on their own (a wrong key stays wrong); once a test of the connection
/// passes they are sent again (<see cref="CrmQueueReason.CredentialsFixed"/>). An erased sign-up is never
/// one of them: it has nothing left to send, so no caller has to remember to leave it out.
/// </summary>
public static class CrmCredentialFailures
{
    public static IQueryable<SignUpSummary> Of(IQueryable<SignUpSummary> signUps, Guid connectionId) =>
        signUps.Where(s => s.ErasedAt == null && s.CrmStatus == CrmPushStatus.Failed && s.CrmConnectionId == connectionId && s.CrmProblem != null
            && (s.CrmProblem.Status == 401 || s.CrmProblem.Status == 403 || s.CrmProblem.Code == CrmProblems.CredentialsMissing || s.CrmProblem.Code == CrmProblems.CredentialsMalformed));
}
