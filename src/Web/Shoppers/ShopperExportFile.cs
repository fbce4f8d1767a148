using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CustomerInfo.Application.Shoppers.ExportShopper;

namespace CustomerInfo.Web.Shoppers;

/// <summary>A shopper's export as the file they are given: indented JSON, names of things spelled out, letters of any script kept readable.</summary>
public static class ShopperExportFile
{
    public const string ContentType = "application/json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        // Every letter stays as it is ("Zoë", not "Zo\u00EB"); characters HTML treats specially are still escaped.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Bytes(ShopperExport export) => JsonSerializer.SerializeToUtf8Bytes(export, Options);

    /// <summary>Named by the contact id and the day, never by the shopper's name or address.</summary>
    public static string Name(ShopperExport export) => $"shopper-{export.Contact.Id:N}-{export.ExportedAt:yyyy-MM-dd}.json";
}
