using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.ExportSignUps;

/// <summary>
/// The filtered sign-up list for a CSV file (Managers and Owners): the columns, and the rows read
/// lazily in keyset batches as the file is written, so memory stays flat however many there are.
/// Questions are the latest form's, worded in <see cref="Language"/>. The caller records the export
/// with <see cref="RecordSignUpsExportCommand"/> once the rows are written.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record ExportSignUpsQuery(SignUpFilter Filter, string Language) : IQuery<SignUpExport>;

/// <param name="Today">The day of the export in the retailer's time zone (the file is named by it).</param>
public sealed record SignUpExport(Guid ExportId, DateOnly Today, IReadOnlyList<string> Questions, IAsyncEnumerable<SignUpExportRow> Rows)
{
    /// <summary>The store has an active CRM connection: without one, a waiting sign-up reads "not connected".</summary>
    public bool CrmConnected { get; init; }
}

/// <summary>
/// One line of the file. <see cref="ReceivedAt"/> is local to <see cref="TimeZone"/> (the store's, else the retailer's).
/// <see cref="CrmRecordId"/> is the CRM's id of the record once pushed, so the two can be matched up.
/// </summary>
public sealed record SignUpExportRow(
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Birthday,
    string? PostalCode,
    IReadOnlyList<string> Answers,
    bool EmailConsent,
    bool SmsConsent,
    string? Store,
    string ReceivedAt,
    string TimeZone,
    CrmPushStatus CrmStatus = CrmPushStatus.Waiting,
    string? CrmRecordId = null);

public sealed class ExportSignUpsValidator : AbstractValidator<ExportSignUpsQuery>
{
    public ExportSignUpsValidator() => RuleFor(q => q.Filter).SetValidator(new SignUpFilterValidator());
}

public sealed class ExportSignUpsHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions, IClock clock) : IQueryHandler<ExportSignUpsQuery, SignUpExport>
{
    /// <summary>Rows read per round trip: a few hundred kB of documents at a time.</summary>
    public const int BatchSize = 1_000;

    public async ValueTask<SignUpExport> Handle(ExportSignUpsQuery query, CancellationToken cancellationToken)
    {
        var form = await definitions.CurrentAsync(tenant.RequiredTenant, cancellationToken);
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var questions = form.Questions.Where(q => q.Requirement != FieldRequirement.Hidden).ToList();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.UtcNow, TenantTimeZone.ZoneOf(stores)).DateTime);
        var connected = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken) is { Active: true };
        return new SignUpExport(Guid.NewGuid(), today, questions.Select(q => q.Label.In(query.Language)).ToList(), RowsAsync(query, form, questions, stores, CancellationToken.None))
        {
            CrmConnected = connected,
        };
    }

    private async IAsyncEnumerable<SignUpExportRow> RowsAsync(
        ExportSignUpsQuery query, FormDefinition form, IReadOnlyList<CustomQuestion> questions, IReadOnlyList<RetailStore> stores, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var zone = TenantTimeZone.ZoneOf(stores);
        SignUpCursor? before = null;
        while (true)
        {
            var batch = await SignUpRows.Page(session.Query<SignUpSummary>(), query.Filter, zone, form.Country, before, BatchSize).ToListAsync(cancellationToken);
            foreach (var signUp in batch)
            {
                yield return Row(signUp, questions, stores, zone, query.Language);
            }

            if (batch.Count < BatchSize)
            {
                yield break;
            }

            before = new SignUpCursor(batch[^1].ReceivedAt, batch[^1].Id);
        }
    }

    internal static SignUpExportRow Row(SignUpSummary signUp, IReadOnlyList<CustomQuestion> questions, IReadOnlyList<RetailStore> stores, TimeZoneInfo tenantZone, string language)
    {
        var store = stores.FirstOrDefault(s => s.Id == signUp.StoreId);
        var zone = store is null ? tenantZone : StoreTimeZones.Find(store.TimeZone);
        var answers = questions.Select(q =>
            signUp.Answers?.FirstOrDefault(a => a.QuestionKey == q.Key) is { } answer ? string.Join("; ", AnswerWording.Values(q, answer.Values, language)) : "").ToList();
        return new SignUpExportRow(
            signUp.FirstName,
            signUp.LastName,
            signUp.Email,
            signUp.Phone,
            signUp.Birthday is { } b ? (b.Year is { } y ? $"{y:D4}-{b.Month:D2}-{b.Day:D2}" : $"--{b.Month:D2}-{b.Day:D2}") : null,
            signUp.PostalCode,
            answers,
            signUp.EmailConsent,
            signUp.SmsConsent,
            store?.Name,
            TimeZoneInfo.ConvertTime(signUp.ReceivedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            zone.Id,
            signUp.CrmStatus,
            signUp.CrmStatus == CrmPushStatus.Pushed ? signUp.CrmRecordId : null);
    }
}

/// <summary>
/// Records a CSV export of the sign-ups on a stream of its own: the filter without the search
/// text, the rows handed out, whether the download finished. Who exported is in the headers.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record RecordSignUpsExportCommand(Guid ExportId, SignUpFilter Filter, int Rows, bool Completed) : ICommand<Unit>;

public sealed class RecordSignUpsExportHandler(IDocumentSession session, IClock clock) : ICommandHandler<RecordSignUpsExportCommand, Unit>
{
    public async ValueTask<Unit> Handle(RecordSignUpsExportCommand command, CancellationToken cancellationToken)
    {
        session.Events.StartStream(command.ExportId, new SignUpsExported(command.ExportId, command.Filter.DescribeWithoutSearch(), command.Filter.HasSearch, command.Rows, command.Completed, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
