using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Crm;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.ListSignUps;

/// <summary>
/// The store's sign-ups, newest first, a page at a time, filtered. Keyset paging: <see cref="Before"/>
/// is the <see cref="SignUpPage.Next"/> of the previous page, so deep pages cost what the first one
/// does; each filter has an index that leads with the tenant (MartenConfiguration), proven by
/// <c>SignUpListIndexTests</c>.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record ListSignUpsQuery(SignUpCursor? Before = null, int PageSize = 50, SignUpFilter? Filter = null) : IQuery<SignUpPage>;

public sealed record SignUpCursor(DateTimeOffset ReceivedAt, Guid Id);

/// <summary>A page of sign-ups, with the tenant's stores (names and time zones to show) and the tenant's own time zone.</summary>
public sealed record SignUpPage(IReadOnlyList<SignUpSummary> Items, SignUpCursor? Next)
{
    public IReadOnlyList<RetailStore> Stores { get; init; } = [];

    public TimeZoneInfo TimeZone { get; init; } = StoreTimeZones.Find(null);

    /// <summary>The zone a sign-up's time is shown in: its store's, else the tenant's.</summary>
    public TimeZoneInfo ZoneOf(SignUpSummary signUp) =>
        Stores.FirstOrDefault(s => s.Id == signUp.StoreId) is { } store ? StoreTimeZones.Find(store.TimeZone) : TimeZone;

    public string? StoreName(SignUpSummary signUp) => Stores.FirstOrDefault(s => s.Id == signUp.StoreId)?.Name;

    /// <summary>The store has an active CRM connection: without one, waiting sign-ups show "not connected".</summary>
    public bool CrmConnected { get; init; }

    /// <summary>Some sign-up's push has failed (not only on this page): a Manager is offered "retry all failed".</summary>
    public bool HasFailedPushes { get; init; }
}

public sealed class ListSignUpsValidator : AbstractValidator<ListSignUpsQuery>
{
    public ListSignUpsValidator()
    {
        RuleFor(q => q.Filter!).SetValidator(new SignUpFilterValidator()).When(q => q.Filter is not null);
    }
}

public sealed class SignUpFilterValidator : AbstractValidator<SignUpFilter>
{
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public SignUpFilterValidator()
    {
        RuleFor(f => f.Search).MaximumLength(SignUpFilter.SearchMaxLength).WithMessage($"Search for at most {SignUpFilter.SearchMaxLength} characters.");
        RuleFor(f => f.From).InclusiveBetween(Earliest, Latest).When(f => f.From is not null).WithMessage("Choose a date between the years 2000 and 2999.");
        RuleFor(f => f.To).InclusiveBetween(Earliest, Latest).When(f => f.To is not null).WithMessage("Choose a date between the years 2000 and 2999.");
        RuleFor(f => f.To).GreaterThanOrEqualTo(f => f.From).When(f => f.From is not null && f.To is not null).WithMessage("The end date is before the start date.");
        RuleFor(f => f.StoreId).NotEqual(Guid.Empty).WithMessage("Choose a store from the list.");
        RuleFor(f => f.CrmStatus).IsInEnum().When(f => f.CrmStatus is not null).WithMessage("Choose a push status from the list.");
    }
}

public sealed class ListSignUpsHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions) : IQueryHandler<ListSignUpsQuery, SignUpPage>
{
    public const int MaxPageSize = 200;

    public async ValueTask<SignUpPage> Handle(ListSignUpsQuery query, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var zone = TenantTimeZone.ZoneOf(stores);
        var country = (await definitions.CurrentAsync(tenant.RequiredTenant, cancellationToken)).Country;

        var items = await SignUpRows.Page(session.Query<SignUpSummary>(), query.Filter ?? SignUpFilter.None, zone, country, query.Before, size + 1)
            .ToListAsync(cancellationToken);
        var next = items.Count > size ? new SignUpCursor(items[size - 1].ReceivedAt, items[size - 1].Id) : null;
        var connection = await session.LoadAsync<CrmConnection>(CrmConnection.DocumentId, cancellationToken);
        var failed = await session.Query<SignUpSummary>().AnyAsync(s => s.CrmStatus == CrmPushStatus.Failed && s.ErasedAt == null, cancellationToken);
        return new SignUpPage(items.Take(size).ToList(), next)
        {
            Stores = stores,
            TimeZone = zone,
            CrmConnected = connection is { Active: true },
            HasFailedPushes = failed,
        };
    }
}

/// <summary>The list's one query, shared by the page, the export's batches and the index test that EXPLAINs it.</summary>
public static class SignUpRows
{
    public static IQueryable<SignUpSummary> Page(IQueryable<SignUpSummary> rows, SignUpFilter filter, TimeZoneInfo zone, string country, SignUpCursor? before, int take)
    {
        if (filter.From is { } from)
        {
            var start = StartOf(from, zone);
            rows = rows.Where(s => s.ReceivedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOf(to.AddDays(1), zone);
            rows = rows.Where(s => s.ReceivedAt < end);
        }

        if (filter.StoreId is { } storeId)
        {
            rows = rows.Where(s => s.StoreId == storeId);
        }

        if (filter.Source is { } source)
        {
            rows = rows.Where(s => s.Source == source);
        }

        if (filter.CrmStatus is { } crm)
        {
            rows = rows.Where(s => s.CrmStatus == crm);
        }

        if (filter.EmailConsent is { } email)
        {
            rows = rows.Where(s => s.EmailConsent == email);
        }

        if (filter.SmsConsent is { } sms)
        {
            rows = rows.Where(s => s.SmsConsent == sms);
        }

        switch (SignUpSearch.Read(filter.Search, country))
        {
            case { Kind: SearchKind.Email, Key: var key }:
                rows = rows.Where(s => s.EmailKey == key);
                break;
            case { Kind: SearchKind.Phone, Key: var key }:
                rows = rows.Where(s => s.Phone == key);
                break;
            case { Kind: SearchKind.Name, Key: var key }:
                rows = rows.Where(s => s.FirstNameKey!.StartsWith(key) || s.LastNameKey!.StartsWith(key));
                break;
        }

        if (before is not null)
        {
            // The first condition alone is what the index seeks on (received_at is a column of the
            // index); the second orders sign-ups received in the same instant by id.
            var at = before.ReceivedAt;
            var id = before.Id;
            rows = rows.Where(s => s.ReceivedAt <= at && (s.ReceivedAt < at || s.Id.CompareTo(id) < 0));
        }

        return rows.OrderByDescending(s => s.ReceivedAt).ThenByDescending(s => s.Id).Take(take);
    }

    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/> (past a gap when midnight is skipped).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
