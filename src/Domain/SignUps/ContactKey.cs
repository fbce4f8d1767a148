namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// What makes two sign-ups the same shopper within a store: the same email address (case and
/// surrounding spaces ignored) or the same phone number in E.164 form.
/// </summary>
public static class ContactKey
{
    public static string? ForEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : "email:" + email.Trim().ToLowerInvariant();

    public static string? ForPhone(string? e164Phone) =>
        string.IsNullOrWhiteSpace(e164Phone) ? null : "phone:" + e164Phone.Trim();

    public static IReadOnlyList<string> For(Shopper shopper) =>
        new[] { ForEmail(shopper.Email), ForPhone(shopper.Phone) }.OfType<string>().ToArray();
}
