using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>
/// Saves which CRM field each of our fields goes to (<see cref="Targets"/>: our source key → the CRM's
/// field key; empty: not sent), and the list new contacts join, for CRMs that have lists. Both are
/// checked against what the CRM lists now, and our side against the form shoppers see now.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SaveCrmMappingCommand(IReadOnlyDictionary<string, string?>? Targets, string? ListId) : ICommand<CrmMappingOutcome>;

/// <summary><see cref="CatalogFailed"/>: the CRM could not list its fields (its reason), so nothing was saved.</summary>
public sealed record CrmMappingOutcome(bool Saved, bool NotConnected = false, CrmResult? CatalogFailed = null);

public sealed class SaveCrmMappingValidator : AbstractValidator<SaveCrmMappingCommand>
{
    public const int MaxMappings = 100;

    public SaveCrmMappingValidator()
    {
        RuleFor(c => c.Targets).Must(t => t is null || t.Count <= MaxMappings).WithMessage("Map at most 100 fields.");
        RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var (source, target) in command.Targets ?? new Dictionary<string, string?>())
            {
                if (source.Length > CrmSettingLimits.MaxLength || (target?.Length ?? 0) > CrmSettingLimits.MaxLength || !CrmSettingLimits.IsOneLine(target))
                {
                    context.AddFailure(new ValidationFailure(TargetProperty(source), "Choose a field from the list."));
                }
            }
        });
        RuleFor(c => c.ListId).MaximumLength(CrmSettingLimits.MaxLength).Must(CrmSettingLimits.IsOneLine).WithMessage("Choose a list from the CRM's lists.");
    }

    public static string TargetProperty(string source) => $"{nameof(SaveCrmMappingCommand.Targets)}[{source}]";
}

public sealed class SaveCrmMappingHandler(IDocumentSession session, CrmConnectionReader reader, FormDefinitions forms, ITenantContext tenant, IClock clock, IBackgroundJobs jobs)
    : ICommandHandler<SaveCrmMappingCommand, CrmMappingOutcome>
{
    public async ValueTask<CrmMappingOutcome> Handle(SaveCrmMappingCommand command, CancellationToken cancellationToken)
    {
        if (await reader.ActiveAsync(cancellationToken) is not (var connection, var connector, var target))
        {
            return new CrmMappingOutcome(false, NotConnected: true);
        }

        var catalog = await connector.ListCatalogAsync(target, cancellationToken);
        if (!catalog.Result.Succeeded || catalog.Catalog is null)
        {
            return new CrmMappingOutcome(false, CatalogFailed: catalog.Result.Succeeded ? CrmResult.TryLater(new Domain.SignUps.CrmProblem(CrmProblems.NoFieldsListed, connection.Kind)) : catalog.Result);
        }

        var info = connector.Info;
        var listField = info.HasLists ? info.Settings.FirstOrDefault(s => s.Kind == CrmSettingKind.List) : null;
        if (listField is not null && !string.IsNullOrWhiteSpace(command.ListId) && command.ListId != target.Setting(listField.Key)
            && catalog.Catalog.Lists.Any(l => l.Id == command.ListId))
        {
            // Another list has other fields (Mailchimp's merge fields are per audience): check the mapping against the chosen one.
            var settings = new Dictionary<string, string>(target.Settings, StringComparer.Ordinal) { [listField.Key] = command.ListId };
            var chosen = await connector.ListCatalogAsync(target with { Settings = settings }, cancellationToken);
            if (!chosen.Result.Succeeded || chosen.Catalog is null)
            {
                return new CrmMappingOutcome(false, CatalogFailed: chosen.Result.Succeeded ? CrmResult.TryLater(new Domain.SignUps.CrmProblem(CrmProblems.NoFieldsListed, connection.Kind)) : chosen.Result);
            }

            catalog = chosen;
        }

        var sources = (await CrmSourcesOf.FormAsync(forms, tenant, cancellationToken)).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var fields = catalog.Catalog.Fields.Where(f => !f.ReadOnly).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var failures = new List<ValidationFailure>();
        var mapping = new List<CrmFieldMapping>();
        if (info.MapsFields)
        {
            foreach (var (source, chosen) in command.Targets ?? new Dictionary<string, string?>())
            {
                if (string.IsNullOrWhiteSpace(chosen) || !sources.Contains(source))
                {
                    // Not sent; a question removed from the form since the page was shown simply drops out.
                    continue;
                }

                if (!fields.Contains(chosen))
                {
                    failures.Add(new ValidationFailure(SaveCrmMappingValidator.TargetProperty(source), "Choose a field from the list."));
                }
                else if (mapping.Any(m => m.Target == chosen))
                {
                    failures.Add(new ValidationFailure(SaveCrmMappingValidator.TargetProperty(source), "Each CRM field can take one of your fields only."));
                }
                else
                {
                    mapping.Add(new CrmFieldMapping(source, chosen));
                }
            }
        }

        var stored = new Dictionary<string, string>(connection.Settings, StringComparer.Ordinal);
        if (listField is not null)
        {
            if (string.IsNullOrWhiteSpace(command.ListId))
            {
                if (listField.Required)
                {
                    failures.Add(new ValidationFailure(nameof(SaveCrmMappingCommand.ListId), "Choose a list from the CRM's lists."));
                }

                stored.Remove(listField.Key);
            }
            else if (catalog.Catalog.Lists.All(l => l.Id != command.ListId))
            {
                failures.Add(new ValidationFailure(nameof(SaveCrmMappingCommand.ListId), "Choose a list from the CRM's lists."));
            }
            else
            {
                stored[listField.Key] = command.ListId;
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        session.Store(connection with { Mapping = mapping, Settings = stored });
        session.Events.Append(connection.ConnectionId, new CrmMappingSaved(connection.ConnectionId, connection.Kind, mapping.Count, listField is not null && stored.ContainsKey(listField.Key), clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);

        // Another list: the shoppers whose consent the CRM knows join it (ADR 19); a withdrawn consent joins nothing.
        if (listField is not null && stored.GetValueOrDefault(listField.Key) is { } newList
            && !string.Equals(connection.Settings.GetValueOrDefault(listField.Key), newList, StringComparison.Ordinal))
        {
            jobs.Enqueue(new Push.QueueCrmPushesCommand(tenant.RequiredTenant.Id, CrmQueueReason.ListChanged), JobLane.Crm);
        }

        return new CrmMappingOutcome(true);
    }
}
