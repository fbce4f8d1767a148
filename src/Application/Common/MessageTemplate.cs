namespace CustomerInfo.Application.Common;

/// <summary>
/// A validation message with numbers in it, kept apart from them: pages look up <see cref="Template"/>
/// (the English text with {0}, {1}) in their language and format it with <see cref="Arguments"/>.
/// Carried as the failure's CustomState; the failure's own message is the English one, formatted.
/// </summary>
public sealed record MessageTemplate(string Template, params object[] Arguments)
{
    public string Format(IFormatProvider provider) => string.Format(provider, Template, Arguments);
}
