using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Mediator;

namespace CustomerInfo.Application.Crm.Connection;

/// <summary>The CRM's fields and lists as it lists them now, to map our fields to; null when nothing is connected.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record GetCrmCatalogQuery : IQuery<CrmCatalogResult?>;

public sealed class GetCrmCatalogHandler(CrmConnectionReader reader) : IQueryHandler<GetCrmCatalogQuery, CrmCatalogResult?>
{
    public async ValueTask<CrmCatalogResult?> Handle(GetCrmCatalogQuery query, CancellationToken cancellationToken) =>
        await reader.ActiveAsync(cancellationToken) is (_, var connector, var target)
            ? await connector.ListCatalogAsync(target, cancellationToken)
            : null;
}
