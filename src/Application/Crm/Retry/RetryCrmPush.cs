using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Retry;

/// <summary>
/// A Manager sends one failed (or still retrying) sign-up to the CRM again, now: it shows waiting
/// (<see cref="SignUpQueuedForCrm"/>, why: a retry) and gets a push job of its own on the crm queue.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RetryCrmPushCommand(Guid SignUpId) : ICommand<RetryCrmPushOutcome>;

public enum RetryCrmPushOutcome
{
    Queued,

    /// <summary>This store has no such sign-up (another store's id included).</summary>
    NotFound,

    /// <summary>Its push has not failed: it was pushed, is waiting already, or is not sent to the CRM.</summary>
    NotFailed,

    /// <summary>The shopper was erased: there is nothing left to send.</summary>
    Erased,

    /// <summary>The store has no active CRM connection: the sign-up waits until one is made.</summary>
    NotConnected,
}

public sealed class RetryCrmPushValidator : AbstractValidator<RetryCrmPushCommand>
{
    public RetryCrmPushValidator() => RuleFor(c => c.SignUpId).NotEqual(Guid.Empty).WithMessage("Choose a sign-up.");
}

public static class CrmRetry
{
    public static bool CanRetry(CrmPushStatus status) => status is CrmPushStatus.Failed or CrmPushStatus.Retrying;

    /// <summary>Whether <paramref name="signUp"/> may be pushed again by hand, and the event that records it when so.</summary>
    public static (RetryCrmPushOutcome Outcome, SignUpQueuedForCrm? Queued) Decide(SignUpSummary signUp, CrmConnection? connection, DateTimeOffset now)
    {
        if (signUp.ErasedAt is not null)
        {
            return (RetryCrmPushOutcome.Erased, null);
        }

        if (!CanRetry(signUp.CrmStatus))
        {
            return (RetryCrmPushOutcome.NotFailed, null);
        }

        return connection is { Active: true }
            ? (RetryCrmPushOutcome.Queued, new SignUpQueuedForCrm(signUp.Id, connection.ConnectionId, CrmQueueReason.Retry, now))
            : (RetryCrmPushOutcome.NotConnected, null);
    }
}

public sealed class RetryCrmPushHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs, IClock clock)
    : ICommandHandler<RetryCrmPushCommand, RetryCrmPushOutcome>
{
    public async ValueTask<RetryCrmPushOutcome> Handle(RetryCrmPushCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<SignUpSummary>(command.SignUpId, cancellationToken) is not { } signUp)
        {
            return RetryCrmPushOutcome.NotFound;
        }

        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var (outcome, queued) = CrmRetry.Decide(signUp, connection, clock.UtcNow);
        if (queued is null)
        {
            return outcome;
        }

        session.Events.Append(signUp.Id, queued);
        await session.SaveChangesAsync(cancellationToken);
        jobs.Enqueue(new PushSignUpToCrmCommand(tenant.RequiredTenant.Id, signUp.Id), JobLane.Crm);
        return outcome;
    }
}

/// <summary>
/// A Manager sends every failed sign-up to the CRM again: one job (<see cref="QueueCrmPushesCommand"/>)
/// queues them all, a page at a time, however many there are.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RetryFailedCrmPushesCommand : ICommand<RetryFailedCrmPushesOutcome>;

public enum RetryFailedCrmPushesOutcome
{
    Queued,

    /// <summary>No sign-up's push has failed: nothing to retry.</summary>
    NoneFailed,

    NotConnected,
}

public sealed class RetryFailedCrmPushesHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs)
    : ICommandHandler<RetryFailedCrmPushesCommand, RetryFailedCrmPushesOutcome>
{
    public async ValueTask<RetryFailedCrmPushesOutcome> Handle(RetryFailedCrmPushesCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true })
        {
            return RetryFailedCrmPushesOutcome.NotConnected;
        }

        if (!await session.Query<SignUpSummary>().AnyAsync(s => s.CrmStatus == CrmPushStatus.Failed && s.ErasedAt == null, cancellationToken))
        {
            return RetryFailedCrmPushesOutcome.NoneFailed;
        }

        jobs.Enqueue(new QueueCrmPushesCommand(tenant.RequiredTenant.Id, CrmQueueReason.Retry), JobLane.Crm);
        return RetryFailedCrmPushesOutcome.Queued;
    }
}
