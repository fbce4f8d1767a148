using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using FluentValidation;
using Marten;
using Marten.Linq.MatchesSql;
using Mediator;

namespace CustomerInfo.Application.Contacts.ListContacts;

/// <summary>
/// The store's contacts, the one who signed up last first, a page at a time (keyset paging:
/// <see cref="After"/> is the <see cref="ContactPage.Next"/> of the page before). Contacts merged
/// into another are not listed: they live on in it. <see cref="Search"/> is an exact email or phone
/// (through the contact index, so any address the shopper ever gave finds them) or the start of a name.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record ListContactsQuery(string? Search = null, string? After = null, int PageSize = ListContactsQuery.DefaultPageSize) : IQuery<ContactPage>
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}

/// <param name="TimeZone">The retailer's time zone (<see cref="TenantTimeZone"/>), in which the page shows times.</param>
public sealed record ContactPage(IReadOnlyList<ContactSummary> Items, string? Next, ContactSearchKind SearchedBy, string TimeZone = StoreTimeZones.Default);

public sealed class ListContactsValidator : AbstractValidator<ListContactsQuery>
{
    public ListContactsValidator()
    {
        RuleFor(q => q.Search).MaximumLength(ContactSearch.MaxLength).WithMessage("Search for at most 254 characters.")
            .Must(ShopperInput.IsPrintable).WithMessage("Search with letters, digits and punctuation only.");
        RuleFor(q => q.After).Must(after => after is null || ContactCursor.TryParse(after, out _))
            .WithMessage("This page of the list no longer exists. Start again from the first page.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListContactsQuery.MaxPageSize);
    }
}

public sealed class ListContactsHandler(IQuerySession session, ITenantContext tenant, FormDefinitions definitions, ContactIndexKeys indexKeys)
    : IQueryHandler<ListContactsQuery, ContactPage>
{
    public async ValueTask<ContactPage> Handle(ListContactsQuery query, CancellationToken cancellationToken)
    {
        var store = tenant.RequiredTenant;
        var country = (await definitions.CurrentAsync(store, cancellationToken)).Country;
        var term = ContactSearch.Read(query.Search, country);
        var timeZone = TenantTimeZone.Of(await session.Query<RetailStore>().ToListAsync(cancellationToken));
        if (term.Kind is ContactSearchKind.Email or ContactSearchKind.Phone)
        {
            return new ContactPage(await ByKeyAsync(indexKeys.IdOf(store.Id, term.Value!), cancellationToken), null, term.Kind, timeZone);
        }

        var rows = session.Query<ContactSummary>().Where(c => c.MergedInto == null);
        if (term.Kind == ContactSearchKind.Name)
        {
            // COLLATE "C" as in the indexes: a prefix LIKE can then use them whatever the database's collation.
            var pattern = ContactSearch.PrefixPattern(term.Value!);
            rows = rows.Where(c => c.MatchesSql("(d.name_key COLLATE \"C\" LIKE ? OR d.last_name_key COLLATE \"C\" LIKE ?)", pattern, pattern));
        }

        if (query.After is not null && ContactCursor.TryParse(query.After, out var after) && after is not null)
        {
            // The first condition is implied by the second; it is there for the index, which starts the page at the cursor.
            rows = rows.Where(c => c.LastSignedUpAt <= after.LastSignedUpAt)
                .Where(c => c.LastSignedUpAt < after.LastSignedUpAt || (c.LastSignedUpAt == after.LastSignedUpAt && c.Id.CompareTo(after.Id) < 0));
        }

        var size = query.PageSize;
        var items = await rows.OrderByDescending(c => c.LastSignedUpAt).ThenByDescending(c => c.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = items.Count > size ? new ContactCursor(items[size - 1].LastSignedUpAt, items[size - 1].Id).Encode() : null;
        return new ContactPage(items.Take(size).ToList(), next, term.Kind, timeZone);
    }

    /// <summary>The contact holding the shopper this email or phone belongs to now (merges followed), if any.</summary>
    private async Task<IReadOnlyList<ContactSummary>> ByKeyAsync(string indexId, CancellationToken cancellationToken)
    {
        var entry = await session.LoadAsync<ContactIndexEntry>(indexId, cancellationToken);
        var contact = entry is null ? null : await session.LoadCurrentAsync(entry.ContactId, cancellationToken);
        return contact is null ? [] : [contact];
    }
}
