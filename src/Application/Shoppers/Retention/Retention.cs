using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Shoppers.EraseShopper;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Application.Shoppers.Retention;

/// <summary>
/// The Owner chooses how long the store keeps shoppers' data after their latest sign-up (issue 14 §6):
/// one of <see cref="ShopperRetention.Choices"/> months, or null for "until erased".
/// </summary>
[RequiresRole(TeamRole.Owner)]
public sealed record SetRetentionCommand(int? Months) : ICommand<TenantChange>;

public sealed class SetRetentionValidator : AbstractValidator<SetRetentionCommand>
{
    public SetRetentionValidator()
    {
        RuleFor(c => c.Months)
            .Must(ShopperRetention.IsChoice)
            .WithMessage($"Choose {string.Join(", ", ShopperRetention.Choices)} months, or until erased.");
    }
}

public sealed class SetRetentionHandler(TenantFacts facts, ITenantContext tenant, IClock clock) : ICommandHandler<SetRetentionCommand, TenantChange>
{
    public ValueTask<TenantChange> Handle(SetRetentionCommand command, CancellationToken cancellationToken) =>
        new(facts.RecordAsync(tenant.RequiredTenant.Id, new TenantFact.SetRetention(command.Months, clock.UtcNow), cancellationToken));
}

/// <summary>
/// Daily: every tenant that keeps shoppers' data for a limited time, and whose data is not erased as a
/// whole, gets a job that erases its shoppers past that time (<see cref="EraseExpiredShoppersCommand"/>),
/// in its own tenant's scope, so one tenant's failure retries alone. Tenants are read a page at a time.
/// </summary>
public sealed record ApplyRetentionCommand : IJobCommand;

public sealed partial class ApplyRetentionHandler(IDocumentStore store, IBackgroundJobs jobs, ILogger<ApplyRetentionHandler> logger)
    : ICommandHandler<ApplyRetentionCommand>
{
    public const int PageSize = 500;

    public async ValueTask<Unit> Handle(ApplyRetentionCommand command, CancellationToken cancellationToken)
    {
        var queued = 0;
        var after = Guid.Empty;
        await using var session = store.QuerySession();
        while (true)
        {
            // Read as documents, not filtered in SQL: a tenant that never chose has no retention field stored, and reads as the default.
            var page = await session.Query<Tenant>()
                .Where(t => t.Id.CompareTo(after) > 0 && t.DataErasedAt == null)
                .OrderBy(t => t.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (var tenant in page.Where(t => t.RetentionMonths is not null))
            {
                jobs.Enqueue(new EraseExpiredShoppersCommand(tenant.Id));
                queued++;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }

        LogQueued(queued);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued the retention check of {Count} tenant(s)")]
    private partial void LogQueued(int count);
}

/// <summary>
/// Erases, per contact, every shopper of one tenant whose latest sign-up is older than the tenant's
/// retention (<see cref="Tenant.RetentionMonths"/>), with the shoppers'-data mechanism
/// (<see cref="EraseShopperCommand"/>, ADR 10). It erases here only: what was pushed to the retailer's
/// CRM is theirs, and this erasure never asks the CRM to delete anything (<see cref="ErasedBy"/> tells
/// it apart from a shopper's request). Safe to repeat: erased contacts are not read again.
/// </summary>
public sealed record EraseExpiredShoppersCommand(Guid TenantId) : ITenantJobCommand;

public sealed partial class EraseExpiredShoppersHandler(IDocumentSession session, ISender sender, IClock clock, ILogger<EraseExpiredShoppersHandler> logger)
    : ICommandHandler<EraseExpiredShoppersCommand>
{
    /// <summary>The id recorded as having asked, in the history of every erased sign-up (never a person).</summary>
    public const string ErasedBy = "system:retention";

    public async ValueTask<Unit> Handle(EraseExpiredShoppersCommand command, CancellationToken cancellationToken)
    {
        var tenant = await session.LoadAsync<Tenant>(command.TenantId, cancellationToken);
        if (tenant is not { RetentionMonths: { } months, DataErasedAt: null })
        {
            return Unit.Value;
        }

        var before = ShopperRetention.ErasesBefore(clock.UtcNow, months);
        var erased = await PlatformErasure.EraseEachAsync(session, sender, c => c.LastSignedUpAt < before, ErasedBy, cancellationToken);
        if (erased > 0)
        {
            LogErased(command.TenantId, erased, months);
        }

        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: erased {Count} shopper(s) of tenant {TenantId} whose latest sign-up is over {Months} months old")]
    private partial void LogErased(Guid tenantId, int count, int months);
}
