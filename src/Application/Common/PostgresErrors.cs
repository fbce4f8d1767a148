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

    /// <summary>
    /// SQLSTATEs of a server that is going away or cannot take the session now: admin_shutdown (a
    /// restart), crash_shutdown, cannot_connect_now (starting up), too_many_connections,
    /// insufficient_resources and query_canceled (a statement timeout).
    /// </summary>
    private static readonly string[] UnavailableStates = ["57P01", "57P02", "57P03", "53300", "53000", "57014"];

    /// <summary>
    /// Whether the database could not serve the request for now (down, restarting, out of connections,
    /// the pool exhausted, a statement timed out), as opposed to refusing it: the same request may
    /// succeed in a few seconds. The driver marks such errors transient; connection failures (class
    /// 08) and the states above count as well.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException failure
                && (failure.IsTransient || (failure.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || UnavailableStates.Contains(state)))))
            {
                return true;
            }
        }

        return false;
    }
}
