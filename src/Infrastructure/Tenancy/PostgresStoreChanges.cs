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

    /// <remarks>
    /// NOTIFY, not <c>select pg_notify(…)</c>: Marten reads the results of its batch in order, and a
    /// statement that returns a row would be read as the next operation's. NOTIFY takes no parameters;
    /// the payload is a Guid in hex digits, which needs no quoting.
    /// </remarks>
    public void Announce(IDocumentSession session, Guid tenantId) =>
        session.QueueSqlCommand($"NOTIFY {Channel}, '{tenantId:N}'");
}
