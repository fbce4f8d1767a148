using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerInfo.Application.Billing.Run;

/// <summary>
/// The recurring billing run (issue 13 §6, ADR 22): every tenant with a Stripe customer gets a
/// <see cref="TenantBillingPass"/>, and its <see cref="TenantBillingStatus"/> says how it went.
/// Tenants are read a page at a time (<see cref="BillingOptions.RunPageSize"/>, keyset on the id), never
/// all at once, and a page's tenants pass <see cref="BillingOptions.RunParallelism"/> at a time. One tenant's Stripe error is recorded on its status and the run goes on; running it
/// twice in a row makes no Stripe write the second time.
/// </summary>
public sealed record RunBillingCommand : IJobCommand
{
    public override string ToString() => "Billing run";
}

public sealed partial class RunBillingHandler(IDocumentStore store, TenantBillingPass pass, IClock clock, IOptions<BillingOptions> options, ILogger<RunBillingHandler> logger)
    : ICommandHandler<RunBillingCommand>
{
    public async ValueTask<Unit> Handle(RunBillingCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var (tenants, failed) = (0, 0);
        Guid? after = null;
        while (await NextPageAsync(after, cancellationToken) is { Tenants.Count: > 0 } page)
        {
            // Each tenant's pass is independent (its own sessions, its own stream, its own Stripe
            // objects), so a page's tenants run a few at a time; each one's result lands in its slot.
            var statuses = new TenantBillingStatus[page.Tenants.Count];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.RunParallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, page.Tenants.Count), parallel, async (index, token) =>
            {
                var tenant = page.Tenants[index];
                statuses[index] = await PassAsync(tenant, page.Statuses.GetValueOrDefault(tenant.Id) ?? new TenantBillingStatus(tenant.Id), now, token);
            });
            failed += statuses.Count(s => s.LastErrorAt == now);

            await using (var session = store.LightweightSession())
            {
                session.Store<TenantBillingStatus>(statuses);
                await session.SaveChangesAsync(cancellationToken);
            }

            tenants += page.Tenants.Count;
            after = page.Tenants[^1].Id;
        }

        LogRunDone(tenants, failed);
        return Unit.Value;
    }

    private async Task<TenantBillingStatus> PassAsync(Tenant tenant, TenantBillingStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await pass.RunAsync(tenant, status, now, cancellationToken);
        }
        catch (Exception failure) when (failure is StripeUnavailableException or StripeRefusedException)
        {
            LogTenantFailed(tenant.Id, failure.GetType().Name, failure.Message);
            return status with { LastRunAt = now, LastError = failure.Message, LastErrorAt = now };
        }
    }

    /// <summary>The next tenants with a Stripe customer after <paramref name="after"/> by id, with their statuses.</summary>
    private async Task<Page> NextPageAsync(Guid? after, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var query = session.Query<Tenant>().Where(t => t.StripeCustomerId != null);
        if (after is { } cursor)
        {
            query = query.Where(t => t.Id.CompareTo(cursor) > 0);
        }

        var tenants = await query.OrderBy(t => t.Id).Take(options.Value.RunPageSize).ToListAsync(cancellationToken);
        var statuses = await session.LoadManyAsync<TenantBillingStatus>(cancellationToken, tenants.Select(t => t.Id));
        return new Page(tenants, statuses.ToDictionary(s => s.Id));
    }

    private sealed record Page(IReadOnlyList<Tenant> Tenants, IReadOnlyDictionary<Guid, TenantBillingStatus> Statuses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing run done: {Tenants} tenant(s) with a Stripe customer, {Failed} failed")]
    private partial void LogRunDone(int tenants, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Billing run: tenant {TenantId} failed ({Failure}: {Reason}); the next run tries again")]
    private partial void LogTenantFailed(Guid tenantId, string failure, string reason);
}
