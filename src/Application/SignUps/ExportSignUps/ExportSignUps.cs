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
        var wording = new ExportWording(questions, stores, zone, query.Language);
        SignUpCursor? before = null;
        while (true)
        {
            // Each row is handed on as it is read: no batch is held, so what a collection finds alive
            // is one row, not a thousand documents that would be promoted and pile up in gen1 and gen2.
            // (A Select of the file's columns read less JSON but cost PostgreSQL 35 µs a row to build it,
            // against 4 µs for the stored document: the export took half as long again. Measured in
            // docs/benchmarks.md.)
            var read = 0;
            SignUpSummary? last = null;
            var page = SignUpRows.Page(session.Query<SignUpSummary>(), query.Filter, zone, form.Country, before, BatchSize);
            await foreach (var signUp in page.ToAsyncEnumerable(cancellationToken))
            {
                read++;
                last = signUp;
                yield return wording.Row(signUp);
            }

            if (read < BatchSize || last is null)
            {
                yield break;
            }

            before = new SignUpCursor(last.ReceivedAt, last.Id);
        }
    }
}

/// <summary>
/// Turns a read sign-up into a line of the file. What is the same for every line (each store's name
/// and zone, the tenant's zone, the questions) is looked up once per export rather than once per row.
/// </summary>
internal sealed class ExportWording
{
    private readonly IReadOnlyList<CustomQuestion> questions;
    private readonly Dictionary<Guid, (string Name, TimeZoneInfo Zone)> stores = [];
    private readonly TimeZoneInfo tenantZone;
    private readonly string language;

    public ExportWording(IReadOnlyList<CustomQuestion> questions, IReadOnlyList<RetailStore> stores, TimeZoneInfo tenantZone, string language)
    {
        this.questions = questions;
        this.tenantZone = tenantZone;
        this.language = language;
        foreach (var store in stores)
        {
            // The first store of an id wins, as a search of the list would find it.
            this.stores.TryAdd(store.Id, (store.Name, StoreTimeZones.Find(store.TimeZone)));
        }
    }

    public SignUpExportRow Row(SignUpSummary signUp)
    {
        string? storeName = null;
        var zone = tenantZone;
        if (signUp.StoreId is { } storeId && stores.TryGetValue(storeId, out var store))
        {
            (storeName, zone) = store;
        }

        return new SignUpExportRow(
            signUp.FirstName,
            signUp.LastName,
            signUp.Email,
            signUp.Phone,
            signUp.Birthday is { } b ? (b.Year is { } y ? $"{y:D4}-{b.Month:D2}-{b.Day:D2}" : $"--{b.Month:D2}-{b.Day:D2}") : null,
            signUp.PostalCode,
            Answers(signUp.Answers),
            signUp.EmailConsent,
            signUp.SmsConsent,
            storeName,
            TimeZoneInfo.ConvertTime(signUp.ReceivedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            zone.Id,
            signUp.CrmStatus,
            signUp.CrmStatus == CrmPushStatus.Pushed ? signUp.CrmRecordId : null);
    }

    /// <summary>A cell per question of the form, in its order: the answer worded, or empty.</summary>
    private string[] Answers(IReadOnlyList<QuestionAnswer>? answers)
    {
        if (questions.Count == 0)
        {
            return [];
        }

        var cells = new string[questions.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            var question = questions[i];
            cells[i] = AnswerTo(question, answers) is { } answer ? string.Join("; ", AnswerWording.Values(question, answer.Values, language)) : "";
        }

        return cells;
    }

    private static QuestionAnswer? AnswerTo(CustomQuestion question, IReadOnlyList<QuestionAnswer>? answers)
    {
        for (var i = 0; i < (answers?.Count ?? 0); i++)
        {
            if (answers![i].QuestionKey == question.Key)
            {
                return answers[i];
            }
        }

        return null;
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
