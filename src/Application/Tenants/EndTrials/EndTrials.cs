using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Application.Tenants.EndTrials;

/// <summary>
/// Records "trial ended" for every trialing tenant whose deadline has passed. Run hourly by a
/// recurring job. Idempotent: a tenant whose trial ended already records nothing new, and one that
/// changed in the meantime (subscribed, suspended) is refused by the lifecycle and skipped. The kiosk
/// closes at the deadline by itself (<see cref="Tenant.IsKioskOpenAt"/>), so the job need not be punctual.
/// </summary>
public sealed record EndTrialsCommand : IJobCommand;

public sealed partial class EndTrialsHandler(IDocumentStore store, TenantFacts facts, IClock clock, ILogger<EndTrialsHandler> logger)
    : ICommandHandler<EndTrialsCommand>
{
    public async ValueTask<Unit> Handle(EndTrialsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        IReadOnlyList<Guid> due;
        await using (var session = store.QuerySession())
        {
            due = await session.Query<Tenant>()
                .Where(t => t.Status == TenantStatus.Trialing && t.TrialEndsAt != null && t.TrialEndsAt <= now)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }

        var ended = 0;
        foreach (var id in due)
        {
            var change = await facts.RecordAsync(id, new TenantFact.EndTrial(now), cancellationToken);
            if (change.Outcome is TenantChangeOutcome.Changed)
            {
                ended++;
            }
        }

        LogEnded(ended, due.Count);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Ended} trial(s) of {Due} past their deadline")]
    private partial void LogEnded(int ended, int due);
}
