using Npgsql;

namespace DrillHarness;

/// <summary>The <c>sign_up_submitted</c> events of submission ids' streams, as the event store holds them.</summary>
public static class StoredSignUps
{
    /// <summary>For each of these ids whose stream holds any: how many, and the first one's sequence number (absent: none).</summary>
    public static async Task<Dictionary<Guid, (int Count, long FirstSequence)>> ReadAsync(string connectionString, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select stream_id, count(*)::int, min(seq_id) from customerinfo.mt_events where type = 'sign_up_submitted' and stream_id = any(@ids) group by stream_id", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<Guid, (int, long)>();
        while (await reader.ReadAsync())
        {
            stored[reader.GetGuid(0)] = (reader.GetInt32(1), reader.GetInt64(2));
        }

        return stored;
    }
}
