using CustomerInfo.Application.Stores;
using Marten;

namespace CustomerInfo.Infrastructure.Tenancy;

/// <summary>
/// PostgreSQL's NOTIFY, sent in the session's own transaction, so listeners hear of a change only
/// once it is committed. The payload is the tenant id: no names, no tokens.
/// </summary>
internal sealed class PostgresStoreChanges : IStoreChanges
{
    public const string Channel = "customerinfo_store_changes";

    public void Announce(IDocumentSession session, Guid tenantId) =>
        session.QueueSqlCommand("select pg_notify(?, ?)", Channel, tenantId.ToString("N"));
}
