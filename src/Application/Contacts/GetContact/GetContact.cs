using Marten;
using Mediator;

namespace CustomerInfo.Application.Contacts.GetContact;

public sealed record GetContactQuery(Guid ContactId) : IQuery<ContactSummary?>;

public sealed class GetContactHandler(IQuerySession session) : IQueryHandler<GetContactQuery, ContactSummary?>
{
    public async ValueTask<ContactSummary?> Handle(GetContactQuery query, CancellationToken cancellationToken) =>
        await session.LoadAsync<ContactSummary>(query.ContactId, cancellationToken);
}
