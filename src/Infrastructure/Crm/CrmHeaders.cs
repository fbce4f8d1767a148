namespace CustomerInfo.Infrastructure.Crm;

/// <summary>What may go into a request header as a credential.</summary>
internal static class CrmHeaders
{
    /// <summary>
    /// Printable ASCII without spaces: what API keys and tokens are made of. Anything else (a line
    /// break, a space, a letter outside ASCII) cannot be a real key, and HttpClient would throw on
    /// some of it, so it is refused before any call with a clear reason instead.
    /// </summary>
    public static bool IsHeaderSafe(string value) => value.Length > 0 && value.All(c => c is > ' ' and <= '~');
}
