using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.TestSupport;

/// <summary>
/// Every app the tests start writes its log lines (Debug and up, every category, with their
/// properties, scopes and exceptions) here too, and fails the test class when a line holds personal
/// data (any email address or phone number, or a name a test gave a shopper) or a secret (issue 14 §7:
/// a value the app was configured with as a password, key, token or secret, or anything shaped like a
/// Stripe, HubSpot, Klaviyo or Mailchimp key, a webhook signing secret, a Bearer token or a Data
/// Protection key). Logs that were shipped cannot be erased, so they must never get any.
/// </summary>
public sealed partial class LoggedPersonalData : ILoggerProvider
{
    /// <summary>Shoppers' names the tests sent (process-wide: a name from any test must not show up in any app's logs).</summary>
    private static readonly ConcurrentDictionary<string, bool> Names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Secret values the apps were given (process-wide, as names are).</summary>
    private static readonly ConcurrentDictionary<string, bool> Secrets = new(StringComparer.Ordinal);

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

    /// <summary>Remembers a secret an app was given, so that no log line or job may show it (short values would match by chance).</summary>
    public static void RememberSecret(string? value)
    {
        if (value is { Length: >= 8 })
        {
            Secrets.TryAdd(value, true);
        }
    }

    /// <summary>Whether a configuration key names a secret: passwords, keys, tokens and secrets (not key ids or paths).</summary>
    public static bool IsSecretKey(string key) => SecretKey().IsMatch(key);

    /// <summary>The lines that hold personal data or a secret, with what was found.</summary>
    public IReadOnlyList<string> Leaks() => LeaksIn(lines);

    /// <summary>The texts (log lines, stored job arguments) that hold personal data or a secret, with what was found (secrets masked).</summary>
    public static IReadOnlyList<string> LeaksIn(IEnumerable<string> texts)
    {
        var names = Names.Keys.Select(n => new Regex($@"\b{Regex.Escape(n)}\b", RegexOptions.CultureInvariant)).ToList();
        var secrets = Secrets.Keys.ToList();
        var leaks = new List<string>();
        foreach (var text in texts)
        {
            var found = Email().Match(text) is { Success: true } email ? email.Value
                : Phone().Match(text) is { Success: true } phone ? phone.Value
                : names.FirstOrDefault(n => n.IsMatch(text))?.ToString();
            var secret = found is null ? SecretIn(text, secrets) : null;
            if (secret is not null)
            {
                leaks.Add($"a secret ({secret[..4]}…) in: {text[..Math.Min(text.Length, 500)].Replace(secret, "[secret]", StringComparison.Ordinal)}");
            }
            else if (found is not null)
            {
                leaks.Add($"{found} in: {text[..Math.Min(text.Length, 500)]}");
            }
        }

        return leaks;
    }

    private static string? SecretIn(string text, List<string> secrets)
    {
        var given = secrets.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal));
        if (given is not null)
        {
            return given;
        }

        var shaped = SecretShape().Match(text);
        return shaped.Success ? shaped.Value : null;
    }

    public ILogger CreateLogger(string categoryName) => new Capture(categoryName, lines);

    public void Dispose()
    {
    }

    [GeneratedRegex(@"(password|secret|key|token)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    /// <summary>
    /// What keys look like: Stripe secret and restricted keys, signing secrets (Stripe's and Standard
    /// Webhooks'), HubSpot private-app tokens, Klaviyo private keys, Mailchimp keys, Bearer tokens and
    /// Data Protection key material.
    /// </summary>
    [GeneratedRegex(@"\b(sk|rk)_(test|live)_[A-Za-z0-9]{8,}|\bwhsec_[A-Za-z0-9+/=]{8,}|\bpat-[a-z]{2}\d-[A-Za-z0-9-]{8,}|\bpk_[A-Za-z0-9]{20,}|\b[0-9a-f]{32}-us\d{1,2}\b|Bearer [A-Za-z0-9._~+/-]{12,}|<masterKey", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();

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
