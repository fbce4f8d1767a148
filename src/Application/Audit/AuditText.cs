using System.Globalization;
using System.Resources;

namespace CustomerInfo.Application.Audit;

/// <summary>
/// The audit log's sentences in English and Dutch (AuditText.resx, AuditText.nl.resx), in the culture
/// of the request. A missing sentence throws: the catalogue test renders every entry in both languages.
/// </summary>
public sealed class AuditText(CultureInfo culture)
{
    private static readonly ResourceManager Resources = new(typeof(AuditText));

    public CultureInfo Culture { get; } = culture;

    public string Get(string key) =>
        Resources.GetString(key, Culture) ?? throw new InvalidOperationException($"The audit log has no sentence '{key}'.");

    public string Format(string key, params object?[] arguments) => string.Format(Culture, Get(key), arguments);
}
