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
    /// NOTIFY, not <c>select pg_notify(...)</c>: a statement that returns no rows. Marten reads its
    /// batch's result sets in order, and pg_notify's void row beside an event append broke that read
    /// ("Reading as 'System.Int64' is not supported for fields having DataTypeName 'void'"). NOTIFY
    /// takes no parameters; the payload is written in, which is safe for a Guid's 32 hex digits.
    /// </remarks>
    public void Announce(IDocumentSession session, Guid tenantId) =>
        session.QueueSqlCommand($"notify {Channel}, '{tenantId:N}'");
}
