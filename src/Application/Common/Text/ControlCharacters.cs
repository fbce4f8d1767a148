using System.Buffers;
using System.Linq.Expressions;
using System.Reflection;
using FluentValidation.Results;
using Mediator;

namespace CustomerInfo.Application.Common.Text;

/// <summary>
/// The rule every string a user can send shares (ADR 33): no invisible control characters. Line
/// breaks and tabs are text (an address, a mail's body); U+0000 and the rest of C0, DEL and C1 are
/// not, and PostgreSQL's jsonb refuses U+0000 outright. A field's own rule may be stricter.
/// </summary>
public static class ControlCharacters
{
    public const string Refused = "This can't contain invisible control characters.";

    private static readonly SearchValues<char> Invisible = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not '\t' and not '\n' and not '\r').Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]);

    /// <summary>Whether <paramref name="value"/> has none (a vectorised scan: the sign-up POST pays a few nanoseconds a field).</summary>
    public static bool AreAbsentFrom(string? value) => value is null || !value.AsSpan().ContainsAny(Invisible);

    /// <summary>
    /// <paramref name="value"/> without them: for what is looked up rather than kept (a search box),
    /// where nothing stored has one, so "Ann" plus a NUL finds Ann instead of reaching PostgreSQL,
    /// whose text type refuses U+0000.
    /// </summary>
    public static string? RemovedFrom(string? value) =>
        AreAbsentFrom(value) ? value : string.Concat(value!.Where(c => !Invisible.Contains(c)));

    /// <summary>A failure for each string (list of strings, dictionary of strings) property of a command (not a query) of <paramref name="message"/> that holds one.</summary>
    public static List<ValidationFailure>? FailuresOf<TMessage>(TMessage message) => StringsOf<TMessage>.Check(message);

    /// <summary>
    /// The message type's string properties, read through delegates compiled once per type: the
    /// hot path pays no reflection. Nested objects are not walked; the store's serializer is the
    /// last line for them (<c>JsonbSafeStrings</c> in Infrastructure).
    /// </summary>
    private static class StringsOf<TMessage>
    {
        // A query's strings are looked up, never written, and a page must still show when its query
        // string is hostile (GET /?lang=%00 falls back to the store's language): commands only.
        private static readonly (string Name, Func<TMessage, object?> Read)[] Properties = typeof(IBaseQuery).IsAssignableFrom(typeof(TMessage)) ? [] : typeof(TMessage)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0
                && (p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)
                    || typeof(IEnumerable<KeyValuePair<string, string?>>).IsAssignableFrom(p.PropertyType)))
            .Select(p => (p.Name, Compile(p)))
            .ToArray();

        private static Func<TMessage, object?> Compile(PropertyInfo property)
        {
            var message = Expression.Parameter(typeof(TMessage));
            return Expression.Lambda<Func<TMessage, object?>>(Expression.Convert(Expression.Property(message, property), typeof(object)), message).Compile();
        }

        public static List<ValidationFailure>? Check(TMessage message)
        {
            List<ValidationFailure>? failures = null;
            foreach (var (name, read) in Properties)
            {
                var clean = read(message) switch
                {
                    string text => AreAbsentFrom(text),
                    IEnumerable<KeyValuePair<string, string?>> pairs => pairs.All(p => AreAbsentFrom(p.Key) && AreAbsentFrom(p.Value)),
                    IEnumerable<string?> texts => texts.All(AreAbsentFrom),
                    _ => true,
                };
                if (!clean)
                {
                    (failures ??= []).Add(new ValidationFailure(name, Refused));
                }
            }

            return failures;
        }
    }
}
