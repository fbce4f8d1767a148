using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Erasure;

/// <summary>
/// A Manager tries a failed CRM erasure again (the CRM page's "Try again"): the request is pending
/// once more, from attempt 1, and gets an <see cref="EraseShopperInCrmCommand"/> job of its own on
/// the crm queue, with the push's back-off from there. Ids only.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RetryCrmErasureCommand(Guid ContactId) : ICommand<RetryCrmErasureOutcome>;

public enum RetryCrmErasureOutcome
{
    Queued,

    /// <summary>This store has no such erasure (another store's id included).</summary>
    NotFound,

    /// <summary>It has not failed: it is still pending or the CRM erased the shopper.</summary>
    NotFailed,

    /// <summary>
    /// A retry cannot reach the record: the CRM was disconnected or replaced since, or neither the
    /// shopper's email and phone (dropped after a refusal) nor the CRM's record id is left to find it by.
    /// The retailer erases the shopper in the CRM by hand.
    /// </summary>
    CannotRetry,
}

public sealed class RetryCrmErasureValidator : AbstractValidator<RetryCrmErasureCommand>
{
    public RetryCrmErasureValidator() => RuleFor(c => c.ContactId).NotEqual(Guid.Empty).WithMessage("Choose an erasure.");
}

public static class CrmErasureRetry
{
    /// <summary>Whether a failed erasure can be tried again against <paramref name="connection"/>: the same connection, and something left to find the record by.</summary>
    public static bool CanRetry(CrmErasureRequest request, CrmConnection? connection) =>
        request.Status == CrmErasureStatus.Failed
        && connection is { Active: true } && connection.ConnectionId == request.ConnectionId
        && (request.ProtectedIdentity is not null || request.RecordId is not null);

    /// <summary>
    /// Every failed erasure of the store that <see cref="CanRetry"/> against <paramref name="connection"/>, as a query:
    /// what "Retry all failed erasures" queues, and whether the CRM page offers it (not only the rows it lists).
    /// </summary>
    public static IQueryable<CrmErasureRequest> Retryable(IQueryable<CrmErasureRequest> requests, CrmConnection? connection)
    {
        if (connection is not { Active: true })
        {
            return requests.Where(r => false);
        }

        var connectionId = connection.ConnectionId;
        return requests.Where(r => r.Status == CrmErasureStatus.Failed && r.ConnectionId == connectionId && (r.ProtectedIdentity != null || r.RecordId != null));
    }

    public static RetryCrmErasureOutcome Decide(CrmErasureRequest request, CrmConnection? connection) =>
        request.Status != CrmErasureStatus.Failed ? RetryCrmErasureOutcome.NotFailed
        : CanRetry(request, connection) ? RetryCrmErasureOutcome.Queued
        : RetryCrmErasureOutcome.CannotRetry;
}

public sealed class RetryCrmErasureHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs)
    : ICommandHandler<RetryCrmErasureCommand, RetryCrmErasureOutcome>
{
    public async ValueTask<RetryCrmErasureOutcome> Handle(RetryCrmErasureCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CrmErasureRequest>(command.ContactId, cancellationToken) is not { } request)
        {
            return RetryCrmErasureOutcome.NotFound;
        }

        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var outcome = CrmErasureRetry.Decide(request, connection);
        if (outcome != RetryCrmErasureOutcome.Queued)
        {
            return outcome;
        }

        session.Store(request with { Status = CrmErasureStatus.Pending, Attempts = 0, FinishedAt = null });
        await session.SaveChangesAsync(cancellationToken);
        jobs.Enqueue(new EraseShopperInCrmCommand(tenant.RequiredTenant.Id, request.Id, Crm: request.Kind), JobLane.Crm);
        return outcome;
    }
}

/// <summary>
/// A Manager tries every failed CRM erasure of the store again that a retry can still reach (the CRM page's
/// "Retry all failed erasures", beside each row's "Try again"): each is pending once more, from attempt 1, with an
/// <see cref="EraseShopperInCrmCommand"/> job of its own on the crm queue (ids only, the push's back-off from there).
/// The session is the store's, so another store's erasures are never read nor touched.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RetryFailedCrmErasuresCommand : ICommand<RetryFailedCrmErasuresResult>;

/// <summary><see cref="Queued"/> jobs were queued; <see cref="CannotRetry"/> failed erasures cannot be tried again (see <see cref="RetryCrmErasureOutcome.CannotRetry"/>).</summary>
public sealed record RetryFailedCrmErasuresResult(int Queued, int CannotRetry);

public sealed class RetryFailedCrmErasuresHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs)
    : ICommandHandler<RetryFailedCrmErasuresCommand, RetryFailedCrmErasuresResult>
{
    public async ValueTask<RetryFailedCrmErasuresResult> Handle(RetryFailedCrmErasuresCommand command, CancellationToken cancellationToken)
    {
        var failed = await session.Query<CrmErasureRequest>().Where(r => r.Status == CrmErasureStatus.Failed).ToListAsync(cancellationToken);
        if (failed.Count == 0)
        {
            return new(0, 0);
        }

        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var retry = failed.Where(r => CrmErasureRetry.CanRetry(r, connection)).ToList();
        foreach (var request in retry)
        {
            session.Store(request with { Status = CrmErasureStatus.Pending, Attempts = 0, FinishedAt = null });
        }

        await session.SaveChangesAsync(cancellationToken);
        foreach (var request in retry)
        {
            jobs.Enqueue(new EraseShopperInCrmCommand(tenant.RequiredTenant.Id, request.Id, Crm: request.Kind), JobLane.Crm);
        }

        return new(retry.Count, failed.Count - retry.Count);
    }
}
