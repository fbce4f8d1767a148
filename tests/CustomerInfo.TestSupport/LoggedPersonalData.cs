using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.TestSupport;

/// <summary>
/// Every app the tests start writes its log lines (Debug and up, every category, with their
/// properties, scopes and exceptions) here too, and fails the test class when a line holds personal
/// data: any email address or phone number, or a name a test gave a shopper. Logs that were shipped
/// cannot be erased, so they must never get any.
/// </summary>
public sealed partial class LoggedPersonalData : ILoggerProvider
{
    /// <summary>Shoppers' names the tests sent (process-wide: a name from any test must not show up in any app's logs).</summary>
    private static readonly ConcurrentDictionary<string, bool> Names = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>
    /// Remembers a name a test gave a shopper, when it looks like one (capitalised words of letters,
    /// as "Quintessa" or "de Vries"): hostile strings such as "null" or "None" are words logs use anyway.
    /// </summary>
    public static void Remember(string? name)
    {
        if (name is { Length: >= 3 } && NameLike().IsMatch(name))
        {
            Names.TryAdd(name.Trim(), true);
        }
    }

    /// <summary>The lines that hold personal data, with what was found.</summary>
    public IReadOnlyList<string> Leaks()
    {
        var names = Names.Keys.Select(n => new Regex($@"\b{Regex.Escape(n)}\b", RegexOptions.CultureInvariant)).ToList();
        var leaks = new List<string>();
        foreach (var line in lines)
        {
            var found = Email().Match(line) is { Success: true } email ? email.Value
                : Phone().Match(line) is { Success: true } phone ? phone.Value
                : names.FirstOrDefault(n => n.IsMatch(line))?.ToString();
            if (found is not null)
            {
                leaks.Add($"{found} in: {line[..Math.Min(line.Length, 500)]}");
            }
        }

        return leaks;
    }

    public ILogger CreateLogger(string categoryName) => new Capture(categoryName, lines);

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^(\p{Ll}+ )?\p{Lu}\p{Ll}+([' -]\p{L}+)*$")]
    private static partial Regex NameLike();

    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}")]
    private static partial Regex Email();

    /// <summary>International (+31612345678) or Dutch mobile (06 12345678, 0612345678) numbers.</summary>
    [GeneratedRegex(@"(?<![\w-])(\+\d{10,15}|06[ -]?\d{8})(?![\w-])")]
    private static partial Regex Phone();

    private sealed class Capture(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope {Properties(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {Properties(state)} {exception}");
            }
        }

        private static string Properties<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : $"{state}";
    }
}
