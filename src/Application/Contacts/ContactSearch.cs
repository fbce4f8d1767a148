using CustomerInfo.Application.Common.Text;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.Contacts;

public enum ContactSearchKind
{
    None,
    Email,
    Phone,
    Name,
}

/// <summary>What a search of the contact list looks for: a contact key (email, phone) or the start of a name.</summary>
public sealed record ContactSearchTerm(ContactSearchKind Kind, string? Value)
{
    public static readonly ContactSearchTerm None = new(ContactSearchKind.None, null);
}

/// <summary>
/// How the contact list reads a search, with the kiosk's own normalisers: something with an "@" is
/// an email address and something that is a phone number in the store's country is a phone, each
/// matched exactly as a <see cref="ContactKey"/>; anything else is the start of a name.
/// </summary>
public static class ContactSearch
{
    public const int MaxLength = ShopperInput.EmailMaxLength;

    public static ContactSearchTerm Read(string? search, string country)
    {
        var text = ShopperInput.Clean(ControlCharacters.RemovedFrom(search));
        if (text is null)
        {
            return ContactSearchTerm.None;
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            return new(ContactSearchKind.Email, ContactKey.ForEmail(ShopperInput.Email(text)));
        }

        if (text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.') && ShopperInput.ToE164(text, country) is { } phone)
        {
            return new(ContactSearchKind.Phone, ContactKey.ForPhone(phone));
        }

        return NameKey(ShopperInput.Name(text), null) is { } name ? new(ContactSearchKind.Name, name) : ContactSearchTerm.None;
    }

    /// <summary>A name as the name search compares it: the parts given, one space apart, lower case (so "ann" finds "Ann").</summary>
    public static string? NameKey(string? firstName, string? lastName)
    {
        var parts = new[] { firstName, lastName }.Select(ShopperInput.Clean).OfType<string>().ToArray();
        return parts.Length == 0 ? null : string.Join(' ', string.Join(' ', parts).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
    }

    /// <summary>A LIKE pattern matching what starts with <paramref name="prefix"/>, its own % and _ taken literally.</summary>
    public static string PrefixPattern(string prefix) =>
        prefix.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
