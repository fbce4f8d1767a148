using System.Globalization;
using CustomerInfo.Application.Admin.GetDashboard;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Linq.MatchesSql;
using Mediator;

namespace CustomerInfo.Application.Audit.ListAuditLog;

/// <summary>
/// The tenant's audit log for its Owner (issue 14 §5): who did what, when and from where, newest
/// first, a page at a time (keyset: <see cref="Before"/> is the <see cref="AuditLogPage.Older"/> of the
/// page before). Read from the events themselves and their headers (ADR 26), only the catalogued types
/// (<see cref="AuditCatalogue"/>). <see cref="Person"/>: "member:{id}", "platform" or "system";
/// <see cref="Action"/>: an <see cref="AuditCategory"/> name; <see cref="From"/>/<see cref="To"/>: days
/// (yyyy-mm-dd, both included) in the retailer's time zone. Strings, so a bad one gets a message.
/// </summary>
[RequiresRole(TeamRole.Owner)]
public sealed record ListAuditLogQuery(string? Person = null, string? Action = null, string? From = null, string? To = null, string? Before = null, int PageSize = ListAuditLogQuery.DefaultPageSize)
    : IQuery<AuditLogPage>
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const string Platform = "platform";
    public const string System = "system";
    public const string MemberPrefix = "member:";
}

/// <param name="Who">The member's address while they are in the team, else "a former member", the platform or the system.</param>
/// <param name="ClientAddress">The address the request came from (the team member's, never a shopper's), when recorded.</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string Who, AuditCategory Category, string What, string? ClientAddress);

/// <summary>One person the log can be filtered by: <see cref="Value"/> is the query's <see cref="ListAuditLogQuery.Person"/>.</summary>
public sealed record AuditPerson(string Value, string Name);

public sealed record AuditLogPage(IReadOnlyList<AuditEntry> Entries, string? Older, IReadOnlyList<AuditPerson> People, string TimeZone);

public sealed class ListAuditLogValidator : AbstractValidator<ListAuditLogQuery>
{
    public ListAuditLogValidator()
    {
        RuleFor(q => q.Person).Must(person => string.IsNullOrEmpty(person) || AuditLogFilter.TryPerson(person, out _))
            .WithMessage("Choose a person from the list.");
        RuleFor(q => q.Action).Must(action => string.IsNullOrEmpty(action) || AuditLogFilter.TryCategory(action, out _))
            .WithMessage("Choose an action from the list.");
        RuleFor(q => q.From).Must(day => string.IsNullOrEmpty(day) || AuditLogFilter.TryDay(day, out _))
            .WithMessage("Enter the first day as a date, like 2026-01-31.");
        RuleFor(q => q.To).Must(day => string.IsNullOrEmpty(day) || AuditLogFilter.TryDay(day, out _))
            .WithMessage("Enter the last day as a date, like 2026-01-31.");
        RuleFor(q => q).Must(q => !AuditLogFilter.TryDay(q.From, out var from) || !AuditLogFilter.TryDay(q.To, out var to) || from <= to)
            .WithName(nameof(ListAuditLogQuery.To)).OverridePropertyName(nameof(ListAuditLogQuery.To))
            .WithMessage("The last day can't be before the first day.");
        RuleFor(q => q.Before).Must(before => before is null || AuditCursor.TryParse(before, out _))
            .WithMessage("This page of the log no longer exists. Start again from the newest entries.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListAuditLogQuery.MaxPageSize);
    }
}

/// <summary>The filter's values read once, for the validator and the handler alike.</summary>
public static class AuditLogFilter
{
    public static bool TryPerson(string? value, out string? actor)
    {
        actor = value switch
        {
            ListAuditLogQuery.Platform => "platform-owner",
            ListAuditLogQuery.System => "system:",
            not null when value.Length == ListAuditLogQuery.MemberPrefix.Length + 36 && value.StartsWith(ListAuditLogQuery.MemberPrefix, StringComparison.Ordinal)
                && Guid.TryParseExact(value.AsSpan(ListAuditLogQuery.MemberPrefix.Length), "D", out var id) => ListAuditLogQuery.MemberPrefix + id.ToString("D"),
            _ => null,
        };
        return actor is not null;
    }

    public static bool TryCategory(string? value, out AuditCategory category) =>
        Enum.TryParse(value, ignoreCase: true, out category) && Enum.IsDefined(category) && !int.TryParse(value, out _);

    public static bool TryDay(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}

/// <summary>
/// One query on mt_events for the tenant (conjoined: the session adds tenant_id), by the catalogued
/// types, through the index mt_events_idx_audit (tenant_id, type, timestamp, seq_id): the tenant's
/// shopper events, the bulk of the table, are never read (AuditLogIndexTests).
/// </summary>
public sealed class ListAuditLogHandler(IQuerySession session) : IQueryHandler<ListAuditLogQuery, AuditLogPage>
{
    public async ValueTask<AuditLogPage> Handle(ListAuditLogQuery query, CancellationToken cancellationToken)
    {
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var timeZone = TenantTimeZone.Of(stores);
        var zone = StoreTimeZones.Find(timeZone);
        var members = await session.Query<TeamMember>().OrderBy(m => m.Email).ToListAsync(cancellationToken);

        var rows = await Rows(session, query, zone).Take(query.PageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(query.PageSize).ToList();
        var older = rows.Count > query.PageSize ? new AuditCursor(page[^1].Timestamp, page[^1].Sequence).Encode() : null;

        var names = new AuditNames(new AuditText(CultureInfo.CurrentUICulture), members.ToDictionary(m => m.Id), stores.ToDictionary(s => s.Id), zone);
        var entries = page.Select(e => Entry(e, names)).OfType<AuditEntry>().ToList();
        IReadOnlyList<AuditPerson> people =
        [
            .. members.Select(m => new AuditPerson(ListAuditLogQuery.MemberPrefix + m.Id.ToString("D"), m.Email)),
            new(ListAuditLogQuery.Platform, names.Text.Get("ActorPlatform")),
            new(ListAuditLogQuery.System, names.Text.Get("ActorSystem")),
        ];
        return new AuditLogPage(entries, older, people, timeZone);
    }

    /// <summary>The page's events as Marten queries them; public for the index test, which EXPLAINs this very query.</summary>
    public static IQueryable<IEvent> Rows(IQuerySession session, ListAuditLogQuery query, TimeZoneInfo zone)
    {
        var category = AuditLogFilter.TryCategory(query.Action, out var chosen) ? chosen : (AuditCategory?)null;
        var rows = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(AuditCatalogue.TypesOf(category)));
        if (AuditLogFilter.TryPerson(query.Person, out var actor))
        {
            rows = actor switch
            {
                "system:" => rows.Where(e => e.MatchesSql("d.headers ->> 'actor' like 'system:%'")),
                // A member's own sign-ins may carry no actor: they are in the member's stream.
                _ when actor!.StartsWith(ListAuditLogQuery.MemberPrefix, StringComparison.Ordinal) => OfMember(rows, actor),
                _ => rows.Where(e => e.MatchesSql("d.headers ->> 'actor' = ?", actor)),
            };
        }

        if (AuditLogFilter.TryDay(query.From, out var from))
        {
            var start = LocalDays.StartOf(from, zone);
            rows = rows.Where(e => e.Timestamp >= start);
        }

        if (AuditLogFilter.TryDay(query.To, out var to))
        {
            var end = LocalDays.StartOf(to.AddDays(1), zone);
            rows = rows.Where(e => e.Timestamp < end);
        }

        if (query.Before is not null && AuditCursor.TryParse(query.Before, out var before) && before is not null)
        {
            // The first condition is implied by the second; it is there for the index's range.
            rows = rows.Where(e => e.Timestamp <= before.Timestamp)
                .Where(e => e.Timestamp < before.Timestamp || (e.Timestamp == before.Timestamp && e.Sequence < before.Sequence));
        }

        return rows.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Sequence);
    }

    private static IQueryable<IEvent> OfMember(IQueryable<IEvent> rows, string actor)
    {
        var member = Guid.Parse(actor.AsSpan(ListAuditLogQuery.MemberPrefix.Length));
        return rows.Where(e => e.MatchesSql("(d.headers ->> 'actor' = ? or (d.headers ->> 'actor' is null and d.stream_id = ?))", actor, member));
    }

    private static AuditEntry? Entry(IEvent stored, AuditNames names)
    {
        if (!AuditCatalogue.Audited.TryGetValue(stored.EventType, out var action) || action.Shows?.Invoke(stored.Data) == false)
        {
            return null;
        }

        var actor = Header(stored, "actor");
        return new AuditEntry(stored.Sequence, stored.Timestamp, names.Actor(actor, action.Self?.Invoke(stored.Data)), action.Category, action.Describe(stored.Data, names), Header(stored, "client"));
    }

    private static string? Header(IEvent stored, string name) =>
        stored.Headers is { } headers && headers.TryGetValue(name, out var value) && value is not null ? value.ToString() : null;
}
