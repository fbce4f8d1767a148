using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// How long the app's queries may wait for a pooled connection (<c>Database:PoolWaitSeconds</c>) and
/// run (<c>Database:CommandTimeoutSeconds</c>), on top of the connection string, so each role sets
/// its own while the Secret holds one string. The web role waits briefly: when slow queries hold every
/// connection, a request fails in seconds with a 503 and <c>Retry-After</c> (the kiosk's queue resends),
/// instead of hanging past the kiosk's timeout (issue 15's pool drill). Unset keeps Npgsql's defaults
/// (15 s and 30 s) or what the connection string says.
/// </summary>
public static class DatabaseLimits
{
    /// <summary>Npgsql's own bound for both values.</summary>
    internal const int MaxSeconds = 1024;

    public static string Apply(string connectionString, IConfiguration configuration)
    {
        var wait = Seconds(configuration, "Database:PoolWaitSeconds");
        var command = Seconds(configuration, "Database:CommandTimeoutSeconds");
        if (wait is null && command is null)
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (wait is { } w)
        {
            builder.Timeout = w;
        }

        if (command is { } c)
        {
            builder.CommandTimeout = c;
        }

        return builder.ConnectionString;
    }

    private static int? Seconds(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= MaxSeconds
            ? seconds
            : throw new InvalidOperationException($"{key} must be a whole number of seconds from 1 to {MaxSeconds}; it is \"{value}\".");
    }
}
