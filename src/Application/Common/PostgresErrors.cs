using System.Data.Common;

namespace CustomerInfo.Application.Common;

public static class PostgresErrors
{
    /// <summary>SQLSTATE of a write refused by a unique index.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>SQLSTATE of a serializable transaction that lost to a concurrent one and may be retried.</summary>
    public const string SerializationFailure = "40001";

    /// <summary>
    /// Whether PostgreSQL refused a write because a unique index already holds the value. Marten wraps
    /// the driver's error; it is found by its SQLSTATE through the BCL's <see cref="DbException"/>,
    /// so this layer needs no driver.
    /// </summary>
    public static bool IsUniqueViolation(Exception exception, string? indexName = null)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { SqlState: UniqueViolation } refused)
            {
                return indexName is null || refused.Message.Contains(indexName, StringComparison.Ordinal);
            }
        }

        return false;
    }

    public static bool IsSerializationFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { SqlState: SerializationFailure })
            {
                return true;
            }
        }

        return false;
    }
}
