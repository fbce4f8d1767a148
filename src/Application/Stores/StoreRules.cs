using System.Security.Cryptography;
using CustomerInfo.Domain.Stores;
using FluentValidation;

namespace CustomerInfo.Application.Stores;

/// <summary>The limits of a store's details and its kiosk links' labels: one home for the page and the validators.</summary>
public static class StoreRules
{
    public const int NameMaxLength = 80;
    public const int AddressMaxLength = 200;
    public const int LabelMaxLength = 60;

    /// <summary>The name as stored: trimmed, inner runs of white space kept as typed.</summary>
    public static string CleanName(string? name) => (name ?? "").Trim();

    /// <summary>The address as stored: trimmed, null when blank.</summary>
    public static string? CleanAddress(string? address) => string.IsNullOrWhiteSpace(address) ? null : address.Trim();

    /// <summary>Whether another of the tenant's stores already has this name (names differ in more than case).</summary>
    public static bool NameIsTaken(IEnumerable<RetailStore> stores, string? name, Guid? except = null) =>
        stores.Any(s => s.Id != except && string.Equals(s.Name, CleanName(name), StringComparison.OrdinalIgnoreCase));

    public static IRuleBuilderOptions<T, string?> ValidStoreName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(name => CleanName(name).Length is >= 1 and <= NameMaxLength)
            .WithMessage($"Give the store a name of 1 to {NameMaxLength} characters.")
            .Must(Brand.BrandingRules.IsShowable).WithMessage(Brand.BrandingRules.NameControlCharacters);

    public static IRuleBuilderOptions<T, string?> ValidTimeZone<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(StoreTimeZones.IsKnown).WithMessage("Choose a time zone from the list, such as Europe/Amsterdam.");

    public static IRuleBuilderOptions<T, string?> ValidAddress<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(address => (CleanAddress(address)?.Length ?? 0) <= AddressMaxLength)
            .WithMessage($"An address is at most {AddressMaxLength} characters.")
            .Must(address => address is null || !address.Any(c => char.IsControl(c) && c is not '\n' and not '\r'))
            .WithMessage(AddressControlCharacters);

    /// <summary>Line breaks are fine in an address; other control characters cannot be shown (and PostgreSQL's jsonb refuses U+0000).</summary>
    public const string AddressControlCharacters = "An address can't contain invisible control characters.";
}

/// <summary>The secret part of a kiosk link: 128 random bits, base64url without padding (22 characters).</summary>
public static class KioskTokens
{
    public const int Bytes = 16;
    public const int Length = 22;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Whether <paramref name="token"/> could be a token at all (the kiosk refuses others without a lookup).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What a store change came to; the pages say each in words.</summary>
public enum StoreChangeOutcome
{
    Done,

    /// <summary>No store (or link) with that id in this tenant.</summary>
    NotFound,

    /// <summary>The store is closed: it takes no new kiosk links.</summary>
    StoreClosed,

    /// <summary>Someone else changed the store at the same moment; nothing was written.</summary>
    Conflict,
}

public sealed record StoreChangeResult(StoreChangeOutcome Outcome, Guid? LinkId = null)
{
    public static readonly StoreChangeResult Done = new(StoreChangeOutcome.Done);
    public static readonly StoreChangeResult NotFound = new(StoreChangeOutcome.NotFound);
    public static readonly StoreChangeResult Conflict = new(StoreChangeOutcome.Conflict);
    public static readonly StoreChangeResult StoreClosed = new(StoreChangeOutcome.StoreClosed);

    public bool IsDone => Outcome == StoreChangeOutcome.Done;
}

/// <summary>
/// The store's rules as pure decisions: given the store as its events left it, what a command
/// appends (nothing, when it would change nothing). Handlers only load, decide and write.
/// </summary>
public static class StoreDecisions
{
    public static IReadOnlyList<object> Close(RetailStore store, DateTimeOffset now) =>
        store.IsActive ? [new StoreClosed(store.Id, now)] : [];

    public static IReadOnlyList<object> Reopen(RetailStore store, DateTimeOffset now) =>
        store.IsActive ? [] : [new StoreReopened(store.Id, now)];

    public static IReadOnlyList<object> ChangeDetails(RetailStore store, string name, string timeZone, string? address, DateTimeOffset now) =>
        store.Name == name && store.TimeZone == timeZone && store.Address == address ? [] : [new StoreDetailsChanged(store.Id, name, timeZone, address, now)];

    /// <returns>The link's event, or null when the store is closed.</returns>
    public static KioskLinkIssued? Issue(RetailStore store, Guid linkId, string? label, string token, DateTimeOffset now) =>
        store.IsActive ? new KioskLinkIssued(store.Id, linkId, Token: token, Label: LabelOrDefault(store, label), IssuedAt: now) : null;

    /// <returns>The revocation; none when the link was already revoked; null when the store has no such link.</returns>
    public static IReadOnlyList<object>? Revoke(RetailStore store, Guid linkId, DateTimeOffset now) =>
        store.Links.FirstOrDefault(l => l.LinkId == linkId) switch
        {
            null => null,
            { RevokedAt: not null } => [],
            var link => [new KioskLinkRevoked(store.Id, link.LinkId, link.Token, now)],
        };

    /// <summary>"Tablet 1", "Tablet 2"… by the number of links the store has had, when no label is given.</summary>
    public static string LabelOrDefault(RetailStore store, string? label) =>
        string.IsNullOrWhiteSpace(label) ? $"Tablet {store.Links.Count + 1}" : label.Trim();
}
