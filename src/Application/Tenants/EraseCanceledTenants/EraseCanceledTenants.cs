using CustomerInfo.Application.Billing;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Tenants.EraseCanceledTenants;

/// <summary>
/// Daily: every canceled tenant whose read-only period (<c>Billing:ReadOnlyDays</c>) has passed and
/// whose data is not erased yet gets a job that erases it (<see cref="EraseTenantDataCommand"/>), in
/// its own tenant's scope, so one tenant's failure retries alone (ADR 0023).
/// </summary>
public sealed record EraseCanceledTenantsCommand : IJobCommand;

public sealed partial class EraseCanceledTenantsHandler(IDocumentStore store, IBackgroundJobs jobs, IOptions<BillingOptions> billing, IClock clock, ILogger<EraseCanceledTenantsHandler> logger)
    : ICommandHandler<EraseCanceledTenantsCommand>
{
    public async ValueTask<Unit> Handle(EraseCanceledTenantsCommand command, CancellationToken cancellationToken)
    {
        var endedBefore = clock.UtcNow.AddDays(-billing.Value.ReadOnlyDays);
        IReadOnlyList<Guid> due;
        await using (var session = store.QuerySession())
        {
            due = await session.Query<Tenant>()
                .Where(t => t.Status == TenantStatus.Canceled && t.CanceledAt != null && t.CanceledAt <= endedBefore && t.DataErasedAt == null)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in due)
        {
            jobs.Enqueue(new EraseTenantDataCommand(id));
        }

        LogQueued(due.Count);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued the erasure of {Count} canceled tenant(s) past their read-only period")]
    private partial void LogQueued(int count);
}

/// <summary>
/// Erases every shopper of one canceled tenant with the shoppers'-data mechanism (<see cref="EraseShopperCommand"/>,
/// ADR 10), a page of contacts at a time, then records that the data is erased. Checks the tenant
/// again first: one that subscribed again meanwhile, or whose period has not passed, keeps its data.
/// Safe to repeat: erased contacts are not read again, and the fact is recorded once.
/// </summary>
public sealed record EraseTenantDataCommand(Guid TenantId) : ITenantJobCommand;

public sealed partial class EraseTenantDataHandler(
    IDocumentSession session, ISender sender, TenantFacts facts, IOptions<BillingOptions> billing, IClock clock, ILogger<EraseTenantDataHandler> logger)
    : ICommandHandler<EraseTenantDataCommand>
{
    /// <summary>The id recorded as having asked, in the history of every erased sign-up (never a person).</summary>
    public const string ErasedBy = "system:canceled-tenant-erasure";

    public async ValueTask<Unit> Handle(EraseTenantDataCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var tenant = await session.LoadAsync<Tenant>(command.TenantId, cancellationToken);
        if (tenant is not { Status: TenantStatus.Canceled, CanceledAt: { } canceledAt, DataErasedAt: null } || now < canceledAt.AddDays(billing.Value.ReadOnlyDays))
        {
            LogSkipped(command.TenantId);
            return Unit.Value;
        }

        // Every shopper, our copies only: the retailer's CRM and its records are theirs (issue 12).
        var erased = await PlatformErasure.EraseEachAsync(session, sender, due: null, ErasedBy, cancellationToken);
        await facts.RecordAsync(command.TenantId, new TenantFact.RecordDataErased(erased, now), cancellationToken);
        LogErased(command.TenantId, erased);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} is not due for erasure (subscribed again, not canceled long enough, or erased already): nothing erased")]
    private partial void LogSkipped(Guid tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the shoppers' data of canceled tenant {TenantId}: {Count} contact(s)")]
    private partial void LogErased(Guid tenantId, int count);
}
