using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// The store's last line of defence (ADR 33): PostgreSQL's jsonb refuses <c>\u0000</c> (SQLSTATE
/// 22P05), so a NUL that reached a document or an event by a path no validation rule covers (a
/// forgotten field, a CRM's answer, a header) would fail the whole write. Marten's serializer
/// writes every string through this converter, which turns U+0000 into U+FFFD, as invalid UTF-8
/// is turned into it before the form reader (ADR 11). Everything else is written as it is.
/// </summary>
internal sealed class JsonbSafeStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Safe(value));

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Safe(value));

    /// <summary>The string jsonb can take: a vectorised search, and a copy only when a NUL is there.</summary>
    public static string Safe(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;
}
