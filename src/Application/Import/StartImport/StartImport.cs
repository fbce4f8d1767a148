using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Import.RunImport;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.StartImport;

/// <summary>
/// The Manager's mapping of an uploaded file's columns, and the start: the import job is queued
/// (ids only in its arguments). Starting twice queues it once.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record StartImportCommand(Guid ImportId, IReadOnlyList<ImportField> Mapping, bool SendToCrm) : ICommand<StartImportOutcome>;

public enum StartImportOutcome
{
    Started,
    AlreadyStarted,
    NotFound,
}

public sealed class StartImportValidator : AbstractValidator<StartImportCommand>
{
    public StartImportValidator()
    {
        RuleFor(c => c.Mapping).Must(m => m.Contains(ImportField.Email) || m.Contains(ImportField.Phone))
            .WithMessage("Choose the column with the email address or the phone number.");
        RuleFor(c => c.Mapping).Must(m => m.Where(f => f != ImportField.Ignore).GroupBy(f => f).All(g => g.Count() == 1))
            .WithMessage("Each field can come from one column only.");
        RuleFor(c => c.Mapping).Must(m => m.All(Enum.IsDefined))
            .WithMessage("Choose a field from the list for every column.");
    }
}

public sealed class StartImportHandler(IDocumentSession session, ITenantContext tenant, IBackgroundJobs jobs, IClock clock)
    : ICommandHandler<StartImportCommand, StartImportOutcome>
{
    public async ValueTask<StartImportOutcome> Handle(StartImportCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ImportRun>(command.ImportId, cancellationToken) is not { } run)
        {
            return StartImportOutcome.NotFound;
        }

        if (run.Status != ImportStatus.Uploaded)
        {
            return StartImportOutcome.AlreadyStarted;
        }

        // Columns past the file's own are dropped; missing ones are not imported.
        var mapping = Enumerable.Range(0, run.Headers.Count)
            .Select(i => i < command.Mapping.Count ? command.Mapping[i] : ImportField.Ignore)
            .ToList();
        session.Store(run with { Status = ImportStatus.Running, Mapping = mapping, SendToCrm = command.SendToCrm, StartedAt = clock.UtcNow });
        await session.SaveChangesAsync(cancellationToken);
        jobs.Enqueue(new RunImportCommand(tenant.RequiredTenant.Id, run.Id), JobLane.Default);
        return StartImportOutcome.Started;
    }
}
