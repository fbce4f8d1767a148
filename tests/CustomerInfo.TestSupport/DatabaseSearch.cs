using Npgsql;

namespace CustomerInfo.TestSupport;

/// <summary>
/// Looks for text in every column of every table in every schema of a database (values cast to
/// text, bytea read as UTF-8 bytes), case-insensitively: where a shopper's details may still be.
/// </summary>
public static class DatabaseSearch
{
    /// <summary>Each place (<c>schema.table.column</c>) holding one of <paramref name="needles"/>, with the needle.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, params string[] needles)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column, bool Binary)>();
        await using (var list = new NpgsqlCommand(
            """
            select c.table_schema, c.table_name, c.column_name, c.data_type = 'bytea'
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema') and c.table_schema not like 'pg_toast%'
            order by 1, 2, 3
            """,
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }

        var found = new List<string>();
        foreach (var column in columns)
        {
            var name = $"\"{column.Schema}\".\"{column.Table}\"";
            var value = $"\"{column.Column}\"";
            foreach (var needle in needles.Where(n => n.Length > 0))
            {
                var condition = column.Binary ? $"position(convert_to(@needle, 'UTF8') in {value}) > 0" : $"strpos(lower({value}::text), lower(@needle)) > 0";
                await using var search = new NpgsqlCommand($"select exists (select 1 from {name} where {condition})", connection);
                search.Parameters.AddWithValue("needle", needle);
                if (await search.ExecuteScalarAsync() is true)
                {
                    found.Add($"{column.Schema}.{column.Table}.{column.Column}: {needle}");
                }
            }
        }

        return found;
    }
}
