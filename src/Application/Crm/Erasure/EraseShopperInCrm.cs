using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm.Push;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Crm.Erasure;

/// <summary>
/// Erase one erased shopper's record in the tenant's CRM (<see cref="CrmErasureRequest"/> <see cref="ContactId"/>):
/// the job on the <c>crm</c> queue. Ids only; the handler reads the request and the connection afresh.
/// <see cref="Attempt"/> counts from 1, and the handler schedules the next one itself, as the push does.
/// </summary>
public sealed record EraseShopperInCrmCommand(Guid TenantId, Guid ContactId, int Attempt = 1, string? Crm = null) : ITenantJobCommand
{
    public override string ToString() =>
        $"Erase contact {ContactId.ToString("N")[..8]}… of store {TenantId.ToString("N")[..8]} in {(Crm is null ? "its CRM" : CrmNames.Of(Crm))} (attempt {Attempt})";
}

/// <summary>
/// One attempt to erase a shopper in the CRM. Success (or a CRM that never had them) marks the
/// request erased; the CRM down, slow or throttling is retried with the push's back-off up to
/// <see cref="CrmOptions.MaxAttempts"/>; a refusal, wrong credentials, the last attempt, or a
/// connection that is no longer the one the shopper was pushed to mark it failed with the reason,
/// which the CRM page shows with a "Try again" button (<see cref="RetryCrmErasureCommand"/>). Success
/// and refusals drop the kept email and phone; a CRM that stayed down or refused the credentials keeps
/// the ciphertext so that a retry can still find the record, until that retry ends. Failures count
/// towards the connection's health (the Owners hear of it once).
/// </summary>
public sealed class EraseShopperInCrmHandler(
    IDocumentSession session,
    ITenantContext tenant,
    ICrmConnectors connectors,
    ICrmSecrets secrets,
    IBackgroundJobs jobs,
    CrmHealth health,
    IOptions<CrmOptions> options,
    IClock clock) : ICommandHandler<EraseShopperInCrmCommand>
{
    public async ValueTask<Unit> Handle(EraseShopperInCrmCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CrmErasureRequest>(command.ContactId, cancellationToken) is not { Status: CrmErasureStatus.Pending } request)
        {
            return Unit.Value; // done already: a job run twice erases once
        }

        var tenantId = tenant.RequiredTenant.Id;
        if (await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is not { Active: true } connection
            || connection.ConnectionId != request.ConnectionId)
        {
            return await FinishAsync(request, null, CrmResult.Refused(new CrmProblem(CrmProblems.ConnectionGone, request.Kind)), cancellationToken);
        }

        if (connectors.Find(connection.Kind) is not { Info.CanErase: true } connector)
        {
            return await FinishAsync(request, connection, CrmResult.Refused(new CrmProblem(CrmProblems.CannotErase, connection.Kind)), cancellationToken);
        }

        var identity = request.ProtectedIdentity is { } protectedIdentity ? secrets.Unprotect(tenantId, protectedIdentity) : null;
        var settings = Settings(connection, tenantId);
        if (identity is null || settings is null)
        {
            return await FinishAsync(request, connection, CrmResult.Refused(new CrmProblem(CrmProblems.IdentityUnreadable, connection.Kind)), cancellationToken);
        }

        var erasure = new CrmErasure(request.Id, identity.GetValueOrDefault(CrmErasureRequest.EmailKey), identity.GetValueOrDefault(CrmErasureRequest.PhoneKey), request.RecordId);
        var target = new CrmTarget(tenantId, connection.ConnectionId, settings, connection.Mapping);
        var result = await connector.EraseAsync(target, erasure, cancellationToken);
        if (result.Kind == CrmResultKind.TryLater && command.Attempt < options.Value.MaxAttempts)
        {
            session.Store(request with { Attempts = command.Attempt, Reason = result.Reason, Problem = result.Problem });
            await session.SaveChangesAsync(cancellationToken);
            await health.FailedAsync(connection, cancellationToken);
            var delay = PushSignUpToCrmHandler.Delay(options.Value, command.Attempt, result.RetryAfter, Random.Shared.NextDouble());
            jobs.Schedule(command with { Attempt = command.Attempt + 1 }, delay, JobLane.Crm);
            return Unit.Value;
        }

        return await FinishAsync(request with { Attempts = command.Attempt }, connection, result, cancellationToken);
    }

    private async ValueTask<Unit> FinishAsync(CrmErasureRequest request, CrmConnection? connection, CrmResult result, CancellationToken cancellationToken)
    {
        session.Store(request with
        {
            // A CRM that stayed down or a key that was wrong may work on a retry (RetryCrmErasureCommand), which needs the
            // address to find the record; a refusal or a success needs it no longer.
            ProtectedIdentity = result.Kind is CrmResultKind.TryLater or CrmResultKind.BadCredentials ? request.ProtectedIdentity : null,
            Status = result.Succeeded ? CrmErasureStatus.Erased : CrmErasureStatus.Failed,
            Reason = result.Succeeded ? null : result.Reason,
            Problem = result.Succeeded ? null : result.Problem,
            FinishedAt = clock.UtcNow,
        });
        await session.SaveChangesAsync(cancellationToken);
        if (connection is not null)
        {
            await (result.Succeeded ? health.SucceededAsync(connection, cancellationToken) : health.FailedAsync(connection, cancellationToken));
        }

        return Unit.Value;
    }

    private Dictionary<string, string>? Settings(CrmConnection connection, Guid tenantId)
    {
        var all = new Dictionary<string, string>(connection.Settings, StringComparer.Ordinal);
        if (connection.ProtectedSecrets is { } protectedSecrets)
        {
            if (secrets.Unprotect(tenantId, protectedSecrets) is not { } plain)
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
}
