using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.GetContact;

/// <summary>
/// A contact's summary. A contact merged into another comes back as it was when it was merged, with
/// <see cref="ContactSummary.MergedInto"/> naming the contact that holds the shopper now.
/// </summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetContactQuery(Guid ContactId) : IQuery<ContactSummary?>;

public sealed class GetContactHandler(IQuerySession session) : IQueryHandler<GetContactQuery, ContactSummary?>
{
    public async ValueTask<ContactSummary?> Handle(GetContactQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<ContactSummary>(query.ContactId, cancellationToken);
}
