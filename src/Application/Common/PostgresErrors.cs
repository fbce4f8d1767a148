using Npgsql;

namespace CustomerInfo.Application.Common;

public static class PostgresErrors
{
    /// <summary>Whether PostgreSQL refused a write because a unique index already holds the value (Marten wraps the error).</summary>
    public static bool IsUniqueViolation(Exception exception, string? indexName = null)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres)
            {
                return indexName is null || string.Equals(postgres.ConstraintName, indexName, StringComparison.Ordinal);
            }
        }

        return false;
    }
}
